// A/B test: a cookie picks the variant; new visitors are split by their request id and get the cookie.
function onRequest(exchange) {
  const cookies = exchange.request.headers.get('Cookie') || '';
  const match = /(?:^|;\s*)ab=(a|b)/.exec(cookies);
  const variant = match ? match[1] : (parseInt(exchange.requestId.slice(-2), 16) % 2 === 0 ? 'a' : 'b');
  exchange.attributes.variant = variant;
  exchange.attributes.newVisitor = match ? 'no' : 'yes';
  exchange.request.headers.set('X-Variant', variant);
}

function onResponse(exchange, response) {
  if (exchange.attributes.newVisitor === 'yes') {
    response.headers.add('Set-Cookie', 'ab=' + exchange.attributes.variant + '; Path=/; Max-Age=2592000');
  }
}
