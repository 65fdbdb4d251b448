package io.portico.plugins.aggregate;

/** One part as configured, with its URL compiled. */
record PartPlan(AggregateFactory.Part part, UrlTemplate url) {
}
