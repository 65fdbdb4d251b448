// The trivial js filter of the js-trivial bench scenario: one header set on the way in.
function onRequest(exchange) {
  exchange.request.headers.set('X-Script', 'trivial');
}
