package dev.qastream.runtime.serde;

import com.microsoft.kiota.RequestInformation;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeImpl;
import io.apicurio.registry.rest.client.RegistryClient;
import io.kiota.http.jdk.JDKRequestAdapter;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The registry client of the serdes: Apicurio's own client and JDK adapter, as the serdes would build them, but
 * with a time limit on every request. Theirs has none: a request the registry took and never answered (seen
 * while it restarted) held a stream thread, or a worker's start, for good, with nothing logged. Now it fails
 * after {@link #REQUEST_TIMEOUT} with an {@link java.net.http.HttpTimeoutException}, a transport failure,
 * which the serdes try again ({@link RegistryRetryingSerializer}) and the stages treat as the registry being
 * away, not as a bad record.
 */
final class RegistryClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /** One HTTP client for every serde of the process: it is thread-safe, and each one costs a selector thread. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();

    private RegistryClients() {
    }

    /** A client of the registry's v3 API at {@code registryApiUrl}. */
    static RegistryClientFacade facade(String registryApiUrl) {
        return facade(registryApiUrl, REQUEST_TIMEOUT);
    }

    static RegistryClientFacade facade(String registryApiUrl, Duration requestTimeout) {
        TimedRequestAdapter adapter = new TimedRequestAdapter(HTTP, requestTimeout);
        adapter.setBaseUrl(registryApiUrl);
        return new RegistryClientFacadeImpl(new RegistryClient(adapter));
    }

    /** The JDK adapter, each request given a time limit. */
    private static final class TimedRequestAdapter extends JDKRequestAdapter {
        private final Duration timeout;

        TimedRequestAdapter(HttpClient client, Duration timeout) {
            super(client);
            this.timeout = timeout;
        }

        @Override
        protected HttpRequest getRequestFromRequestInformation(RequestInformation info) {
            HttpRequest request = super.getRequestFromRequestInformation(info);
            return HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
        }
    }
}
