// Sends each tenant to its own path prefix; unknown tenants are refused.
function onRequest(exchange) {
  const tenant = exchange.request.headers.get('X-Tenant');
  if (!config.tenants.includes(tenant)) {
    return respond(404, { error: 'unknown tenant', tenant: tenant });
  }
  exchange.request.path = '/' + tenant + exchange.request.path;
}
