/** The backend-neutral API of lstm4j. */
module dev.lstm4j.api {
    exports dev.lstm4j.api;
    exports dev.lstm4j.api.spi;
    exports dev.lstm4j.api.io;

    uses dev.lstm4j.api.spi.BackendProvider;
}
