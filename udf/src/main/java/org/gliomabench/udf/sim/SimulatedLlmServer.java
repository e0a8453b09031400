package org.gliomabench.udf.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED OpenAI-compatible vision server for tests, benchmarks and the offline demo: plain HTTP/1.1
 * over a real socket (127.0.0.1, or on a cluster the driver's advertised address), thread per connection, keep-alive. It serves POST
 * {@code /v1/chat/completions} (image as a data URL) and GET {@code /v1/models}; its model name starts with
 * "simulated-". Behaviour is programmable ({@link SimulatedBehaviour}); faults can also be scripted for the
 * next requests or for the first attempts of every request id. It counts what it served, so tests can
 * prove that no successful call was repeated.
 */
public final class SimulatedLlmServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedLlmServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String MODEL_PREFIX = "simulated-";

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "simulated-llm");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile SimulatedBehaviour behaviour;
  private final ConcurrentLinkedQueue<SimulatedFault> scripted = new ConcurrentLinkedQueue<>();
  private volatile int failFirst;
  private volatile SimulatedFault failFirstFault;
  private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> answersById = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong answers = new AtomicLong();
  private final AtomicLong unseeded = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger maxActive = new AtomicInteger();
  private final List<Long> arrivals = new ArrayList<>();
  private volatile boolean closed;

  /** The host name clients are given (the base URL's host). */
  private final String advertisedHost;

  private SimulatedLlmServer(SimulatedBehaviour behaviour, InetAddress bind, String advertisedHost) throws IOException {
    this.behaviour = behaviour;
    this.server = new ServerSocket(0, 200, bind);
    this.advertisedHost = advertisedHost;
    threads.execute(this::acceptLoop);
  }

  /** Starts a server on a free loopback port. */
  public static SimulatedLlmServer start(SimulatedBehaviour behaviour) {
    return start(behaviour, InetAddress.getLoopbackAddress(), "127.0.0.1");
  }

  /**
   * Starts a server on a free port of {@code bind}, announced to clients as {@code advertisedHost}: on a cluster
   * the driver's advertised address (spark.driver.host), so that executors on other hosts reach it.
   */
  public static SimulatedLlmServer start(SimulatedBehaviour behaviour, InetAddress bind, String advertisedHost) {
    try {
      SimulatedLlmServer s = new SimulatedLlmServer(behaviour, bind, advertisedHost);
      LOG.info("SIMULATED LLM server on {} (bound to {}; {})", s.baseUrl(), bind.getHostAddress(), behaviour);
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the simulated LLM server on " + bind.getHostAddress() + ": " + e.getMessage(), e);
    }
  }

  /** The OpenAI base URL, e.g. http://127.0.0.1:41234/v1. */
  public String baseUrl() {
    String host = advertisedHost.contains(":") && !advertisedHost.startsWith("[") ? "[" + advertisedHost + "]" : advertisedHost;
    return "http://" + host + ":" + server.getLocalPort() + "/v1";
  }

  /** The model name for a requested one: always marked simulated. */
  public static String modelName(String requested) {
    return requested.startsWith(MODEL_PREFIX) ? requested : MODEL_PREFIX + requested;
  }

  public void behaviour(SimulatedBehaviour b) {
    this.behaviour = b;
  }

  public SimulatedBehaviour behaviour() {
    return behaviour;
  }

  /** The next requests (whatever their id) get these faults, in order. */
  public void script(SimulatedFault... faults) {
    scripted.addAll(List.of(faults));
  }

  /** The first {@code n} attempts of every request id get {@code fault}; later ones are answered. */
  public void failFirstAttempts(int n, SimulatedFault fault) {
    this.failFirstFault = fault;
    this.failFirst = n;
  }

  public long requests() {
    return requests.get();
  }

  /** Requests answered with a chat completion (HTTP 200 with an answer). */
  public long answers() {
    return answers.get();
  }

  /** Answers served per X-Request-Id (our call key). */
  public Map<String, Integer> answersById() {
    Map<String, Integer> m = new HashMap<>();
    answersById.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  public int maxConcurrent() {
    return maxActive.get();
  }

  /** Arrival times (System.nanoTime) of every request. */
  public synchronized List<Long> arrivals() {
    return new ArrayList<>(arrivals);
  }

  public synchronized void resetStats() {
    requests.set(0);
    answers.set(0);
    answersById.clear();
    attemptsById.clear();
    maxActive.set(active.get());
    arrivals.clear();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(SimulatedLlmServer::closeQuietly);
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        open.add(s);
        threads.execute(() -> serve(s));
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("simulated LLM server: accept failed: {}", e.toString());
        }
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        Request req = Request.read(in);
        if (req == null || !handle(req, s, in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away (it timed out or closed a pooled connection): nothing to do
    } finally {
      open.remove(s);
    }
  }

  /** Answers one request; false closes the connection. */
  private boolean handle(Request req, Socket s, InputStream in, OutputStream out) throws IOException {
    requests.incrementAndGet();
    synchronized (this) {
      arrivals.add(System.nanoTime());
    }
    int now = active.incrementAndGet();
    maxActive.accumulateAndGet(now, Math::max);
    try {
      SimulatedBehaviour b = behaviour;
      if (req.method.equals("GET") && req.path.endsWith("/models")) {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        list.putArray("data").addObject().put("id", MODEL_PREFIX + "model").put("object", "model").put("owned_by", "glioma-bench");
        return respond(out, 200, "OK", JSON.writeValueAsBytes(list), Map.of());
      }
      if (!req.method.equals("POST") || !req.path.endsWith("/chat/completions")) {
        return respond(out, 404, "Not Found", error("no route " + req.method + " " + req.path), Map.of());
      }
      String auth = req.headers.get("authorization");
      if (b.requiredApiKey() != null && !("Bearer " + b.requiredApiKey()).equals(auth)) {
        String sent = auth == null ? "(none)" : auth.replaceFirst("^Bearer ", "");
        // Like OpenAI, the message repeats the key it got: clients must not record it verbatim.
        return respond(out, 401, "Unauthorized", error("Incorrect API key provided: " + sent), Map.of());
      }
      JsonNode body;
      List<byte[]> images;
      String prompt;
      try {
        body = JSON.readTree(req.body);
        images = images(body);
        prompt = prompt(body);
      } catch (IOException | RuntimeException e) {
        return respond(out, 400, "Bad Request", error("bad request: " + e.getMessage()), Map.of());
      }
      String id = req.headers.getOrDefault("x-request-id", "");
      SimulatedFault fault = fault(b, id);
      if (fault == SimulatedFault.DROP) {
        s.setSoLinger(true, 0); // reset, not a polite close
        s.close();
        return false;
      }
      if (fault == SimulatedFault.HANG) {
        while (!closed && in.read() != -1) {
          // wait for the client to give up
        }
        return false;
      }
      sleep(b);
      if (fault == SimulatedFault.RATE_LIMITED) {
        return respond(out, 429, "Too Many Requests", error("rate limit reached (simulated)"),
            Map.of("Retry-After", Integer.toString(b.retryAfterSeconds())));
      }
      if (fault == SimulatedFault.SERVER_ERROR) {
        return respond(out, 500, "Internal Server Error", error("simulated internal error"), Map.of());
      }
      if (fault == SimulatedFault.BAD_REQUEST) {
        return respond(out, 400, "Bad Request", error("simulated bad request"), Map.of());
      }
      if (fault == SimulatedFault.GARBAGE) {
        return respond(out, 200, "OK", "<html><body>502 Bad Gateway (simulated)</body></html>".getBytes(StandardCharsets.UTF_8),
            Map.of(), "text/html");
      }
      byte[] answer = answer(b, body, images, prompt);
      answers.incrementAndGet();
      answersById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      return respond(out, 200, "OK", answer, Map.of());
    } finally {
      active.decrementAndGet();
    }
  }

  private SimulatedFault fault(SimulatedBehaviour b, String id) {
    SimulatedFault f = scripted.poll();
    if (f != null) {
      return f;
    }
    int attempt = attemptsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (attempt <= failFirst && failFirstFault != null) {
      return failFirstFault;
    }
    if (b.faults() > 0 && ThreadLocalRandom.current().nextDouble() < b.faults()) {
      return new SimulatedFault[] {SimulatedFault.RATE_LIMITED, SimulatedFault.SERVER_ERROR, SimulatedFault.HANG,
          SimulatedFault.DROP, SimulatedFault.GARBAGE}[ThreadLocalRandom.current().nextInt(5)];
    }
    return null;
  }

  private byte[] answer(SimulatedBehaviour b, JsonNode body, List<byte[]> images, String prompt) throws IOException {
    byte[] png = images.get(images.size() - 1); // the slice asked about comes last
    long imageHash = hash(png);
    long seed = body.has("seed") ? body.get("seed").asLong() : unseeded.incrementAndGet() * 0x9E3779B97F4A7C15L;
    SplittableRandom rng = new SplittableRandom(b.seed() * 31 + imageHash * 17 + seed);
    int width = readInt(png, 16);
    int height = readInt(png, 20);
    String constrained = body.has("guided_regex") ? "regex"
        : body.path("response_format").path("type").asText("").equals("json_schema") ? "json" : "none";
    int top = body.path("logprobs").asBoolean(false) ? body.path("top_logprobs").asInt(0) : -1;
    SimulatedAnswers.Answer a = prompt.contains("Choice:")
        ? SimulatedAnswers.classify(b, rng, imageHash, constrained, Math.max(top, 0), SimulatedEvidence.pHgg(b, prompt, images))
        : SimulatedAnswers.locate(prompt, rng, width, height);
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-sim-" + Long.toHexString(rng.nextLong()));
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", modelName(body.path("model").asText("model")));
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", a.text());
    choice.put("finish_reason", "stop");
    if (top >= 0) {
      ArrayNode content = choice.putObject("logprobs").putArray("content");
      for (SimulatedAnswers.Token t : a.tokens()) {
        ObjectNode tn = content.addObject().put("token", t.text()).put("logprob", t.logprob());
        ArrayNode alts = tn.putArray("top_logprobs");
        for (Object[] alt : t.top()) {
          if (alts.size() < top) {
            alts.addObject().put("token", (String) alt[0]).put("logprob", (double) alt[1]);
          }
        }
      }
    }
    root.putObject("usage").put("prompt_tokens", 1500).put("completion_tokens", a.tokens().size()).put("total_tokens", 1500 + a.tokens().size());
    return JSON.writeValueAsBytes(root);
  }

  /** Every image of the messages, in order. */
  private static List<byte[]> images(JsonNode body) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      for (JsonNode part : m.path("content")) {
        String url = part.path("image_url").path("url").asText("");
        if (url.startsWith("data:image/png;base64,")) {
          byte[] png = Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()));
          if (png.length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            throw new IllegalArgumentException("image " + (out.size() + 1) + " is not a PNG");
          }
          out.add(png);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no data:image/png;base64 image in the messages");
    }
    return out;
  }

  private static String prompt(JsonNode body) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : body.path("messages")) {
      for (JsonNode part : m.path("content")) {
        sb.append(part.path("text").asText("")).append(' ');
      }
    }
    return sb.toString();
  }

  private static void sleep(SimulatedBehaviour b) {
    long ms = b.latencyMs() + (b.jitterMs() > 0 ? ThreadLocalRandom.current().nextLong(-b.jitterMs(), b.jitterMs() + 1) : 0);
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean respond(OutputStream out, int code, String reason, byte[] body, Map<String, String> headers)
      throws IOException {
    return respond(out, code, reason, body, headers, "application/json");
  }

  private static boolean respond(OutputStream out, int code, String reason, byte[] body, Map<String, String> headers,
      String contentType) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("HTTP/1.1 ").append(code).append(' ').append(reason).append("\r\n")
        .append("Content-Type: ").append(contentType).append("\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Server: glioma-bench-simulated-llm\r\n");
    headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return true;
  }

  private static byte[] error(String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", "simulated");
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long hash(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // shutting down
    }
  }

  /** A parsed HTTP/1.1 request (Content-Length or chunked body). */
  private static final class Request {
    String method;
    String path;
    final Map<String, String> headers = new HashMap<>();
    byte[] body = new byte[0];

    static Request read(InputStream in) throws IOException {
      String line = line(in);
      while (line != null && line.isEmpty()) {
        line = line(in);
      }
      if (line == null) {
        return null;
      }
      String[] parts = line.split(" ");
      if (parts.length < 2) {
        throw new SocketException("bad request line");
      }
      Request r = new Request();
      r.method = parts[0];
      r.path = parts[1];
      for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
        int c = h.indexOf(':');
        if (c > 0) {
          r.headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
      }
      if ("chunked".equalsIgnoreCase(r.headers.get("transfer-encoding"))) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
            size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
          buf.write(in.readNBytes(size));
          line(in);
        }
        line(in);
        r.body = buf.toByteArray();
      } else if (r.headers.containsKey("content-length")) {
        r.body = in.readNBytes(Integer.parseInt(r.headers.get("content-length")));
      }
      return r;
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\n') {
          String s = buf.toString(StandardCharsets.ISO_8859_1);
          return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
        buf.write(c);
      }
      return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
