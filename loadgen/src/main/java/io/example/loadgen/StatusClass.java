package io.example.loadgen;

/** The columns of the table: what kind of answer a call got, or none at all. */
enum StatusClass {
    OK("2xx"),
    REDIRECT("3xx"),
    CLIENT_ERROR("4xx"),
    RATE_LIMITED("429"),
    SERVER_ERROR("5xx"),
    /** no answer: refused connection, reset, timeout */
    NO_ANSWER("error");

    private final String label;

    StatusClass(String label) {
        this.label = label;
    }

    static StatusClass of(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        return switch (status / 100) {
            case 2 -> OK;
            case 3 -> REDIRECT;
            case 4 -> CLIENT_ERROR;
            default -> SERVER_ERROR;
        };
    }

    String label() {
        return label;
    }
}
