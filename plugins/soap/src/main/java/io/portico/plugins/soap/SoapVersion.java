package io.portico.plugins.soap;

/** SOAP 1.1 or 1.2: the envelope's namespace and how the action travels. */
enum SoapVersion {
    V1_1("http://schemas.xmlsoap.org/soap/envelope/"),
    V1_2("http://www.w3.org/2003/05/soap-envelope");

    final String namespace;

    SoapVersion(String namespace) {
        this.namespace = namespace;
    }

    static SoapVersion parse(String text) {
        return switch (text) {
            case "1.1" -> V1_1;
            case "1.2" -> V1_2;
            default -> throw new IllegalArgumentException("must be 1.1 or 1.2");
        };
    }

    /** The request's Content-Type: 1.2 carries the action in it, 1.1 in a SOAPAction header. */
    String contentType(String action) {
        if (this == V1_1) {
            return "text/xml; charset=UTF-8";
        }
        return action == null ? "application/soap+xml; charset=UTF-8"
                : "application/soap+xml; charset=UTF-8; action=\"" + action + "\"";
    }

    String envelope(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"" + namespace
                + "\"><soap:Body>" + body + "</soap:Body></soap:Envelope>";
    }
}
