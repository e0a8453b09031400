package org.gliomabench.udf.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.gliomabench.core.Tables.LlmCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous OpenAI-compatible chat client on Apache HttpClient 5 with a pooled connection manager:
 * one per endpoint per JVM (see {@link LlmClients}). A call POSTs a prepared body and retries per the
 * {@link RetryPolicy}, waiting on a timer (never on a thread); every attempt has a hard deadline.
 * {@link #permits()} bounds the calls in flight in this JVM. Errors are recorded as outcomes, never thrown,
 * and never carry the API key.
 */
public final class LlmClient implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LlmClient.class);
  private static final int ERROR_SNIPPET = 200;

  private final ClientConfig config;
  private final ApiKey apiKey;
  private final URI chatUri;
  private final CloseableHttpAsyncClient http;
  private final ScheduledExecutorService timer;
  /** Completions run here, never on the I/O reactor: callers parse answers and write journals in them. */
  private final java.util.concurrent.ExecutorService callbacks;
  private final RateLimiter limiter;
  private final Semaphore permits;

  public LlmClient(ClientConfig config, ApiKey apiKey) {
    this.config = config;
    this.apiKey = apiKey;
    this.chatUri = Urls.chatCompletions(config.endpoint());
    Timeout connect = Timeout.ofMilliseconds(config.connectTimeoutMs());
    Timeout response = Timeout.ofMilliseconds(config.responseTimeoutMs());
    PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
        .setMaxConnTotal(config.concurrency())
        .setMaxConnPerRoute(config.concurrency())
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(connect)
            .setSocketTimeout(response)
            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
            .build())
        .build();
    this.http = HttpAsyncClients.custom()
        .setConnectionManager(pool)
        .setIOReactorConfig(IOReactorConfig.custom()
            .setIoThreadCount(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))
            .setSoTimeout(response)
            .build())
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(response)
            .setConnectionRequestTimeout(Timeout.ofMilliseconds(config.connectTimeoutMs() + config.responseTimeoutMs()))
            .build())
        .disableAutomaticRetries() // our policy decides, with Retry-After and a budget
        .disableRedirectHandling()
        .evictIdleConnections(TimeValue.ofSeconds(30))
        .build();
    this.http.start();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "llm-client-timer");
      t.setDaemon(true);
      return t;
    });
    this.callbacks = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "llm-client-callback");
      t.setDaemon(true);
      return t;
    });
    this.limiter = config.ratePerSecond() > 0 ? new RateLimiter(config.ratePerSecond()) : null;
    this.permits = new Semaphore(config.concurrency());
  }

  public ClientConfig config() {
    return config;
  }

  /** Calls in flight in this JVM: a caller takes one before {@link #post} and gives it back when done. */
  public Semaphore permits() {
    return permits;
  }

  /** Redacts the API key from text about to be recorded. */
  public String redact(String text) {
    return apiKey == null ? text : apiKey.redact(text);
  }

  /** POSTs a chat-completions body; the request id travels as X-Request-Id (vLLM echoes it in its logs). */
  public CompletableFuture<CallOutcome> post(byte[] body, String requestId) {
    Call call = new Call(body, requestId);
    call.attempt();
    return call.result;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    callbacks.shutdown();
    http.close(CloseMode.GRACEFUL); // IMMEDIATE races the I/O reactor (a logged ConcurrentModificationException)
  }

  /** One call across its attempts. */
  private final class Call {
    final byte[] body;
    final String requestId;
    final long start = System.nanoTime();
    final CompletableFuture<CallOutcome> result = new CompletableFuture<>();
    int attempts;

    Call(byte[] body, String requestId) {
      this.body = body;
      this.requestId = requestId;
    }

    void attempt() {
      long wait = limiter == null ? 0 : limiter.reserveMs();
      if (wait > 0) {
        schedule(this::send, wait);
      } else {
        send();
      }
    }

    void send() {
      attempts++;
      SimpleRequestBuilder b = SimpleRequestBuilder.post(chatUri)
          .setBody(body, ContentType.APPLICATION_JSON)
          .addHeader("X-Request-Id", requestId);
      if (apiKey != null) {
        b.addHeader("Authorization", apiKey.bearer());
      }
      SimpleHttpRequest request = b.build();
      AtomicBoolean settled = new AtomicBoolean();
      Future<SimpleHttpResponse>[] inFlight = new Future[1];
      ScheduledFuture<?>[] deadline = new ScheduledFuture<?>[1];
      FutureCallback<SimpleHttpResponse> callback = new FutureCallback<>() {
        @Override
        public void completed(SimpleHttpResponse response) {
          if (settled.compareAndSet(false, true)) {
            cancel(deadline[0]);
            onResponse(response);
          }
        }

        @Override
        public void failed(Exception ex) {
          if (settled.compareAndSet(false, true)) {
            cancel(deadline[0]);
            onException(ex);
          }
        }

        @Override
        public void cancelled() {
          if (settled.compareAndSet(false, true)) {
            cancel(deadline[0]);
            retryOrFinish(LlmCalls.STATUS_ERROR, null, "request cancelled", null);
          }
        }
      };
      try {
        inFlight[0] = http.execute(request, callback);
      } catch (RuntimeException e) { // e.g. the client was closed under us
        callback.failed(e);
        return;
      }
      deadline[0] = timer.schedule(() -> {
        if (settled.compareAndSet(false, true)) {
          inFlight[0].cancel(true);
          retryOrFinish(LlmCalls.STATUS_TIMEOUT, null,
              "no complete answer within " + config.responseTimeoutMs() + " ms", null);
        }
      }, config.responseTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    void onResponse(SimpleHttpResponse response) {
      int code = response.getCode();
      if (code >= 200 && code < 300) {
        try {
          finish(LlmCalls.STATUS_OK, code, ChatCompletion.parse(response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes()), null);
        } catch (IOException e) {
          retryOrFinish(LlmCalls.STATUS_BAD_RESPONSE, code, e.getMessage() + ": " + snippet(response), null);
        }
        return;
      }
      String why = "HTTP " + code + ": " + snippet(response);
      if (RetryPolicy.isRetryableStatus(code)) {
        Header h = response.getFirstHeader("Retry-After");
        retryOrFinish(LlmCalls.STATUS_HTTP_ERROR, code, why,
            RetryPolicy.parseRetryAfter(h == null ? null : h.getValue(), System.currentTimeMillis()));
      } else {
        finish(LlmCalls.STATUS_HTTP_ERROR, code, null, why); // other 4xx: retrying cannot help
      }
    }

    void onException(Exception ex) {
      String why = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
      if (ex instanceof SocketTimeoutException || ex instanceof InterruptedIOException) {
        retryOrFinish(LlmCalls.STATUS_TIMEOUT, null, why, null);
      } else if (ex instanceof IOException) {
        retryOrFinish(LlmCalls.STATUS_CONNECTION_ERROR, null, why, null);
      } else if (ex instanceof HttpException) {
        retryOrFinish(LlmCalls.STATUS_BAD_RESPONSE, null, why, null);
      } else {
        finish(LlmCalls.STATUS_ERROR, null, null, why);
      }
    }

    void retryOrFinish(String status, Integer httpStatus, String why, Long retryAfterMs) {
      RetryPolicy p = config.retry();
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      if (attempts >= p.maxAttempts()) {
        finish(status, httpStatus, null, why + " (gave up after " + attempts + " attempts)");
        return;
      }
      if (retryAfterMs != null && retryAfterMs > p.retryAfterMaxMs()) {
        finish(status, httpStatus, null, why + " (Retry-After " + retryAfterMs / 1000 + " s exceeds the "
            + p.retryAfterMaxMs() / 1000 + " s limit)");
        return;
      }
      long delay = retryAfterMs != null ? retryAfterMs : p.backoffMs(attempts, ThreadLocalRandom.current());
      if (elapsed + delay > p.budgetMs()) {
        finish(status, httpStatus, null, why + " (retry budget of " + p.budgetMs() + " ms spent after " + attempts + " attempts)");
        return;
      }
      if (LOG.isDebugEnabled()) {
        LOG.debug("call {} attempt {} failed ({}); retrying in {} ms", requestId, attempts, status, delay);
      }
      schedule(this::attempt, delay);
    }

    void finish(String status, Integer httpStatus, ChatCompletion completion, String why) {
      CallOutcome outcome = new CallOutcome(status, attempts, httpStatus, (System.nanoTime() - start) / 1_000_000,
          completion, why == null ? null : redact(why));
      try {
        callbacks.execute(() -> result.complete(outcome));
      } catch (RuntimeException e) { // closed: complete here rather than never
        result.complete(outcome);
      }
    }

    void schedule(Runnable r, long delayMs) {
      try {
        timer.schedule(r, delayMs, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) { // closed while the call waited
        finish(LlmCalls.STATUS_ERROR, null, null, "client closed while the call waited to retry");
      }
    }
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  /** The server's own message (JSON detail / error.message / message), else the start of the body; key redacted. */
  private String snippet(SimpleHttpResponse r) {
    byte[] b = r.getBodyBytes();
    if (b == null || b.length == 0) {
      return "(empty body)";
    }
    String s = ServerMessage.of(b);
    if (s == null) {
      s = new String(b, 0, Math.min(b.length, ERROR_SNIPPET * 2), StandardCharsets.UTF_8);
    }
    s = redact(s.replaceAll("\\s+", " ").strip());
    return s.length() > ERROR_SNIPPET ? s.substring(0, ERROR_SNIPPET) + "..." : s;
  }
}
