// Refuses an order that is not JSON, or whose quantity is not a positive whole number.
function onRequest(exchange) {
  let order;
  try {
    order = exchange.request.body.json();
  } catch (e) {
    return respond(400, { error: 'the body is not JSON' });
  }
  if (!Number.isInteger(order.quantity) || order.quantity < 1) {
    return respond(422, { error: 'quantity must be a positive whole number' });
  }
}
