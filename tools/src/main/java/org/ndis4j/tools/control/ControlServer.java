package org.ndis4j.tools.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.ndis4j.wire.CannotListenException;
import org.ndis4j.wire.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control endpoint: JSON over HTTP/1.1 on one listening socket, serving the routes that the
 * running command's {@link ControlResource}s registered, plus {@code GET /} listing them.
 *
 * <pre>
 * GET  /            → [{"method":"GET","path":"/ports","description":"..."}, ...]
 * GET  /ports       → a resource's JSON          (200)
 * GET  /nonsense    → {"error":"no such resource: /nonsense"}            (404)
 * POST /ports       → {"error":"/ports takes GET"}                       (405)
 * </pre>
 *
 * <p>Runs on a thread of its own, so a handler may call into the command's own event loops and
 * wait. Bounded: requests up to {@link #MAX_REQUEST_BYTES}, at most {@link #MAX_CONNECTIONS}
 * connections, each closed after {@link #IDLE_SECONDS} s without a request.
 */
public final class ControlServer implements AutoCloseable {

    static final int MAX_REQUEST_BYTES = 64 * 1024;
    static final int MAX_CONNECTIONS = 64;
    static final int IDLE_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Routes routes = new Routes();
    private final JsonMapper json = JsonMapper.builder().build();
    private final MultiThreadIoEventLoopGroup group = Transports.newGroup(1);
    private final AtomicInteger connections = new AtomicInteger();
    private final Channel server;

    private ControlServer(InetSocketAddress address, List<ControlResource> resources) {
        routes.get("/", "this list of routes", request -> routeList());
        resources.forEach(r -> r.register(routes));
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                            connections.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> connections.decrementAndGet());
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new RequestHandler());
                    }
                });
        ChannelFuture bound =
                Transports.listenExactly(b, group, address).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new CannotListenException("the control endpoint", address, bound.cause());
        }
        server = bound.channel();
    }

    /**
     * Serves {@code resources} on {@code address} (port 0 picks one); listening when this returns.
     *
     * @throws CannotListenException when the address cannot be bound (the message says why)
     */
    public static ControlServer start(InetSocketAddress address, List<ControlResource> resources) {
        return new ControlServer(address, resources);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** {@code http://127.0.0.1:5557/}, {@code http://[::1]:5557/}. */
    public String url() {
        return "http://" + Transports.format(address()) + "/";
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private List<Map<String, String>> routeList() {
        List<Map<String, String>> list = new ArrayList<>();
        for (Routes.Route r : routes.list()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("method", r.method());
            m.put("path", r.pattern());
            m.put("description", r.description());
            list.add(m);
        }
        return list;
    }

    /** Routes one complete request and writes one JSON response. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            HttpResponseStatus status = HttpResponseStatus.OK;
            Object body;
            String allow = null;
            if (!request.decoderResult().isSuccess()) {
                status = HttpResponseStatus.BAD_REQUEST;
                body = error("malformed request");
            } else {
                QueryStringDecoder uri = new QueryStringDecoder(request.uri());
                String path = uri.path();
                String method = request.method().name();
                List<Routes.Route> candidates = routes.matching(path);
                Routes.Route route = candidates.stream()
                        .filter(r -> r.method().equals(method))
                        .findFirst()
                        .orElse(null);
                if (candidates.isEmpty()) {
                    status = HttpResponseStatus.NOT_FOUND;
                    body = error("no such resource: " + path);
                } else if (route == null) {
                    status = HttpResponseStatus.METHOD_NOT_ALLOWED;
                    allow = candidates.stream().map(Routes.Route::method).collect(Collectors.joining(", "));
                    body = error(path + " takes " + allow);
                } else {
                    Map<String, String> parameters = new HashMap<>();
                    uri.parameters().forEach((k, v) -> parameters.put(k, v.get(0)));
                    parameters.putAll(route.match(path));
                    try {
                        body = route.handler()
                                .handle(new ControlRequest(
                                        method,
                                        path,
                                        parameters,
                                        request.content().toString(StandardCharsets.UTF_8)));
                    } catch (ControlException refused) {
                        status = HttpResponseStatus.valueOf(refused.status());
                        body = error(refused.getMessage());
                    } catch (RuntimeException failed) {
                        LOG.warn("{} {} failed", method, path, failed);
                        status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
                        body = error(String.valueOf(failed.getMessage()));
                    }
                }
            }
            respond(ctx, request, status, body, allow);
        }

        private void respond(
                ChannelHandlerContext ctx,
                FullHttpRequest request,
                HttpResponseStatus status,
                Object body,
                String allow) {
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
            FullHttpResponse response =
                    new DefaultFullHttpResponse(request.protocolVersion(), status, Unpooled.wrappedBuffer(bytes));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (allow != null) {
                response.headers().set(HttpHeaderNames.ALLOW, allow);
            }
            boolean keepAlive =
                    HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: control connection closing after {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }

    private static Map<String, String> error(String message) {
        return Map.of("error", message);
    }
}
