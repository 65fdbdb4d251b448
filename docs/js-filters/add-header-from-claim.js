// Sends the caller's tenant (a claim of the token jwt verified) upstream as a header.
function onRequest(exchange) {
  const consumer = exchange.consumer;
  if (consumer && consumer.claims.tenant) {
    exchange.request.headers.set('X-Tenant', consumer.claims.tenant);
  }
}
