// SPDX-License-Identifier: Apache-2.0
// The HTTP server: Boost.Beast over Boost.Asio, a fixed pool of threads running one io_context.
// Each connection reads requests with a bounded parser (header and body limits) under a deadline for
// the whole request, hands each to handle() and writes the answer. Limits answer with JSON errors:
// 413 body too large, 431 headers too large, 408 too slow, 400 bad HTTP, 503 too many connections.
// POST /v1/batch is streamed: its lines are answered, as one chunk per piece read, while it arrives.
// SIGHUP reloads the rule set; SIGTERM/SIGINT stop accepting, let the requests being handled finish,
// and return 0. One JSON access-log line per request on stderr.
#include <array>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "batch_stream.hpp"
#include "service.hpp"

namespace symtri_service {

namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

std::string iso_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}

std::string json_str(std::string_view s) {
    if (s.size() > 512) s = s.substr(0, 512);
    return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The server-wide parts: state, the count of requests being handled, draining.
struct Shared {
    Shared(State& s, net::io_context& io) : state(s), ioc(io) {}
    State& state;
    net::io_context& ioc;
    std::atomic<long> in_flight{0};
    std::atomic<bool> draining{false};
    std::mutex log_m;

    void log(const std::string& remote, std::string_view method, std::string_view target, const std::string& route,
             unsigned status, std::size_t in, std::size_t out, double seconds) {
        if (!state.config().access_log) return;
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.3f", seconds * 1000);
        std::string line = "{\"time\":\"" + iso_now() + "\",\"remote\":" + json_str(remote) + ",\"method\":" +
                           json_str(method) + ",\"target\":" + json_str(target) + ",\"route\":" + json_str(route) +
                           ",\"status\":" + std::to_string(status) + ",\"bytes_in\":" + std::to_string(in) +
                           ",\"bytes_out\":" + std::to_string(out) + ",\"ms\":" + ms + "}\n";
        std::lock_guard<std::mutex> lk(log_m);
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, Shared& shared)
        : stream_(std::move(socket)), timer_(stream_.get_executor()), shared_(shared), state_(shared.state) {
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
        shared_.state.metrics().connection_opened();
    }
    // Through state_, which outlives the io_context: a connection still open when the server stops is
    // destroyed with the io_context, after `shared_` is gone.
    ~Connection() { state_.metrics().connection_closed(); }

    void start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
    }

private:
    beast::tcp_stream stream_;
    net::steady_timer timer_;  // the deadline for reading one request (slow clients get 408)
    Shared& shared_;
    State& state_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::string remote_ = "?";
    std::shared_ptr<Response> response_;
    bool timed_out_ = false;
    bool counted_ = false;  // this request is in shared_.in_flight
    std::unique_ptr<std::array<char, 16384>> drain_;  // linger(): what the client still sends goes here
    std::size_t lingered_ = 0;

    const Config& config() const { return shared_.state.config(); }

    void read_request() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(config().max_header_bytes));
        parser_->body_limit(std::max(config().max_body_bytes, config().max_batch_bytes));
        timed_out_ = false;
        timer_.expires_after(config().request_timeout);
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;  // cancelled: the request was read in time
            self->timed_out_ = true;
            beast::error_code ignored;
            self->stream_.socket().cancel(ignored);
        });
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        auto& req = parser_->get();
        std::string_view target(req.target().data(), req.target().size());
        bool batch = target.substr(0, target.find('?')) == "/v1/batch";
        std::size_t limit = batch ? config().max_batch_bytes : config().max_body_bytes;
        auto length = parser_->content_length();
        if (length && *length > limit) return reject(413, "body_too_large", too_large(limit));
        parser_->body_limit(limit);
        bool stream = false;
        if (batch && streams(req)) {
            // Checked from the header, before any of the body is read or asked for.
            Request head;
            head.base() = req.base();
            if (auto refused = refuse_streamed(shared_.state, head)) return refuse(std::move(*refused), head);
            stream = true;
        }
        // A client that asks before sending its body (curl does for large ones) is told to go on.
        auto expect = req.find(http::field::expect);
        if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
            http::async_write(stream_, *cont, [self = shared_from_this(), cont, stream](beast::error_code wec, std::size_t) {
                if (wec) return self->close();
                stream ? self->start_batch() : self->read_body();
            });
            return;
        }
        stream ? start_batch() : read_body();
    }

    // ---- POST /v1/batch, streamed: the body is read a piece at a time into in_; each piece's result
    // lines (BatchStream) go out as one chunk of a chunked 200 response before the next piece is read,
    // so memory stays bounded and the client gets its first results while it is still sending. The
    // deadline is per piece (a slow client gets an error line, not a cut batch). A failure after the
    // 200 has gone out (body over the limit, too slow, body cut short) ends the response with one last
    // line, {"error": {"status", "code", "message"}}, and closes the connection.
    std::optional<http::request_parser<http::buffer_body>> batch_parser_;
    std::unique_ptr<BatchStream> batch_;
    std::unique_ptr<std::array<char, 65536>> in_;
    std::string out_;  // result lines not yet written; cleared once written as a chunk
    std::optional<http::response<http::empty_body>> batch_head_;
    std::optional<http::response_serializer<http::empty_body>> batch_writer_;
    clock_type::time_point batch_start_;
    std::size_t batch_in_ = 0, batch_out_ = 0;
    std::string batch_target_;

    void start_batch() {
        timer_.cancel();  // the whole-request deadline: a batch has one per piece instead
        shared_.in_flight.fetch_add(1);
        counted_ = true;
        batch_start_ = clock_type::now();
        batch_in_ = batch_out_ = 0;
        out_.clear();
        auto& head = parser_->get();
        batch_target_.assign(head.target().data(), head.target().size());
        batch_head_.emplace(http::status::ok, head.version());
        batch_head_->set(http::field::content_type, "application/x-ndjson");
        batch_head_->set(http::field::cache_control, "no-store");
        batch_head_->keep_alive(head.keep_alive() && !shared_.draining.load());
        batch_head_->chunked(true);
        batch_parser_.emplace(std::move(*parser_));
        parser_.reset();
        batch_parser_->body_limit(config().max_batch_bytes);
        batch_ = std::make_unique<BatchStream>(shared_.state, shared_.state.rules());
        if (!in_) in_ = std::make_unique<std::array<char, 65536>>();
        batch_writer_.emplace(*batch_head_);
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write_header(stream_, *batch_writer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            stream_expiry_off(self->stream_);
            if (ec) return self->batch_abort();
            self->read_batch_piece();
        });
    }

    void read_batch_piece() {
        if (batch_parser_->is_done()) return end_batch(nullptr);
        auto& body = batch_parser_->get().body();
        body.data = in_->data();
        body.size = in_->size();
        // The deadline for this piece: timer_ cancels the read (rather than tcp_stream's expiry, which
        // closes the socket), so the client still gets the error line.
        timed_out_ = false;
        timer_.expires_after(config().request_timeout);
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec) return;  // cancelled: the piece came in time
            self->timed_out_ = true;
            beast::error_code ignored;
            self->stream_.socket().cancel(ignored);
        });
        http::async_read_some(stream_, buffer_, *batch_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_batch_piece(ec);
        });
    }

    void on_batch_piece(beast::error_code ec) {
        timer_.cancel();
        if (ec == http::error::need_buffer) ec = {};
        if (ec && timed_out_) ec = beast::error::timeout;
        std::size_t got = in_->size() - batch_parser_->get().body().size;
        batch_in_ += got;
        batch_->feed(std::string_view(in_->data(), got), out_);
        if (ec) {
            if (ec == http::error::body_limit)
                return end_batch(std::make_unique<Response>(error_response(413, "body_too_large", too_large(config().max_batch_bytes))));
            if (ec == beast::error::timeout)
                return end_batch(std::make_unique<Response>(error_response(408, "request_timeout", "the rest of the batch was not received in time")));
            if (ec == http::error::partial_message || ec == http::error::end_of_stream || ec == net::error::eof)
                return end_batch(std::make_unique<Response>(error_response(400, "body_incomplete", "the body ended before the request did")));
            if (ec.category() == beast::http::make_error_code(http::error::bad_target).category())
                return end_batch(std::make_unique<Response>(error_response(400, "bad_http", "the body is not valid HTTP/1.1 (" + ec.message() + ")")));
            return batch_abort();  // reset, or aborted: nobody to answer
        }
        if (batch_parser_->is_done()) return end_batch(nullptr);
        write_batch_lines([self = shared_from_this()] { self->read_batch_piece(); });
    }

    // Writes out_ as one chunk (nothing when it is empty), then `next`.
    template <class Next>
    void write_batch_lines(Next next) {
        if (out_.empty()) return next();
        batch_out_ += out_.size();
        stream_.expires_after(std::chrono::seconds(30));  // a client that stops reading is dropped
        net::async_write(stream_, http::make_chunk(net::buffer(out_)),
                         [self = shared_from_this(), next](beast::error_code ec, std::size_t) {
                             stream_expiry_off(self->stream_);
                             if (ec) return self->batch_abort();
                             self->out_.clear();  // written: the next lines start a new chunk
                             next();
                         });
    }

    // The body is read whole (failure: null), or the batch stops with `failure` as its last line: the
    // last lines, the last chunk, the access-log line; then the next request, or close.
    void end_batch(std::unique_ptr<Response> failure) {
        if (!failure) batch_->finish(out_);
        unsigned status = failure ? failure->result_int() : 200;
        if (failure) out_ += failure->body();  // one line, ending in '\n'
        bool close_after = failure || !batch_head_->keep_alive() || shared_.draining.load();
        write_batch_lines([self = shared_from_this(), status, close_after] {
            self->stream_.expires_after(std::chrono::seconds(30));
            net::async_write(self->stream_, http::make_chunk_last(),
                             [self, status, close_after](beast::error_code ec, std::size_t) {
                                 stream_expiry_off(self->stream_);
                                 self->log_batch(status);
                                 if (ec) return self->close();
                                 if (close_after) return self->linger();
                                 self->read_request();
                             });
        });
    }

    // The client went away mid-batch: nothing more can be said to it.
    void batch_abort() {
        log_batch(499);
        close();
    }

    void log_batch(unsigned status) {
        if (!counted_) return;
        double secs = std::chrono::duration<double>(clock_type::now() - batch_start_).count();
        shared_.state.metrics().record("/v1/batch", status, secs);
        shared_.log(remote_, "POST", batch_target_, "/v1/batch", status, batch_in_, batch_out_, secs);
        shared_.in_flight.fetch_sub(1);
        counted_ = false;
        batch_parser_.reset();
        batch_.reset();
        batch_writer_.reset();
        batch_head_.reset();
    }

    void read_body() {
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    static std::string too_large(std::size_t limit) {
        return "the body is over the limit of " + std::to_string(limit) + " bytes";
    }

    void on_read_error(beast::error_code ec) {
        timer_.cancel();
        if (timed_out_) {
            // A request begun but not finished in time gets 408; an idle keep-alive connection just closes.
            if (parser_->got_some() || buffer_.size()) return reject(408, "request_timeout", "the request was not received in time");
            return close();
        }
        if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
            ec == net::error::operation_aborted || ec == net::error::broken_pipe)
            return close();
        if (ec == http::error::body_limit) return reject(413, "body_too_large", too_large(parser_->get().target() == "/v1/batch" ? config().max_batch_bytes : config().max_body_bytes));
        if (ec == http::error::header_limit)
            return reject(431, "headers_too_large", "the request line and headers are over the limit of " +
                                                       std::to_string(config().max_header_bytes) + " bytes");
        if (ec.category() == beast::http::make_error_code(http::error::bad_target).category())
            return reject(400, "bad_http", "the request is not valid HTTP/1.1 (" + ec.message() + ")");
        close();
    }

    // Answers a request that could not be read whole, then closes the connection.
    void reject(unsigned status, const std::string& code, const std::string& message) {
        auto res = std::make_shared<Response>(error_response(status, code, message));
        res->keep_alive(false);
        shared_.state.metrics().record("-", status, 0);
        shared_.log(remote_, "-", "-", "-", status, 0, res->body().size(), 0);
        write(res, true);
    }

    // Answers a request refused from its header alone (its body is not read), then closes the connection.
    void refuse(Handled h, const Request& head) {
        auto res = std::make_shared<Response>(std::move(h.response));
        res->keep_alive(false);
        shared_.state.metrics().record(h.route, res->result_int(), 0);
        shared_.log(remote_, std::string_view(head.method_string().data(), head.method_string().size()),
                    std::string_view(head.target().data(), head.target().size()), h.route, res->result_int(), 0,
                    res->body().size(), 0);
        timer_.cancel();
        write(res, true);
    }

    void on_read(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        timer_.cancel();
        shared_.in_flight.fetch_add(1);
        counted_ = true;
        auto start = clock_type::now();
        Request req = parser_->release();
        Handled h = handle(shared_.state, req);
        double secs = std::chrono::duration<double>(clock_type::now() - start).count();
        auto res = std::make_shared<Response>(std::move(h.response));
        bool close_after = !res->keep_alive() || shared_.draining.load();
        if (close_after) res->keep_alive(false);
        shared_.state.metrics().record(h.route, res->result_int(), secs);
        shared_.log(remote_, std::string_view(req.method_string().data(), req.method_string().size()),
                    std::string_view(req.target().data(), req.target().size()), h.route, res->result_int(), req.body().size(),
                    res->body().size(), secs);
        write(res, close_after);
    }

    void write(std::shared_ptr<Response> res, bool close_after) {
        response_ = res;
        stream_.expires_after(std::chrono::seconds(30));  // a client that stops reading is dropped
        http::async_write(stream_, *response_, [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
            self->response_.reset();
            if (self->counted_) {
                self->shared_.in_flight.fetch_sub(1);
                self->counted_ = false;
            }
            stream_expiry_off(self->stream_);
            if (ec) return self->close();
            if (close_after) return self->linger();
            self->read_request();
        });
    }

    // Closes after an answer the client may still be sending a body to (a 413, say): our side is shut
    // first and what the client still sends is read and dropped for a moment, so the kernel does not
    // reset the connection and throw away the answer before the client has read it.
    void linger() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::chrono::seconds(1));
        discard();
    }
    void discard() {
        if (!drain_) drain_ = std::make_unique<std::array<char, 16384>>();
        stream_.async_read_some(net::buffer(*drain_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            self->lingered_ += n;
            if (ec || self->lingered_ > (8u << 20)) return self->close();
            self->discard();
        });
    }

    static void stream_expiry_off(beast::tcp_stream& s) { s.expires_never(); }

    void close() {
        timer_.cancel();
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(Shared& shared, tcp::acceptor& acceptor) : shared_(shared), acceptor_(acceptor) {}

    void accept() {
        acceptor_.async_accept(net::make_strand(shared_.ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
            if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;  // stopping
            if (!ec) self->admit(std::move(s));
            self->accept();
        });
    }

private:
    Shared& shared_;
    tcp::acceptor& acceptor_;

    void admit(tcp::socket s) {
        auto& m = shared_.state.metrics();
        if (m.open_connections() >= static_cast<long>(shared_.state.config().max_connections)) {
            // Too many open: a 503 on this connection, written without reading the request, then closed.
            m.connection_refused();
            m.record("-", 503, 0);
            auto sock = std::make_shared<tcp::socket>(std::move(s));
            auto res = std::make_shared<Response>(
                error_response(503, "too_many_connections", "the server has too many open connections; try again shortly"));
            res->keep_alive(false);
            res->set(http::field::retry_after, "1");
            http::async_write(*sock, *res, [sock, res](beast::error_code, std::size_t) {
                beast::error_code ignored;
                sock->shutdown(tcp::socket::shutdown_send, ignored);
                sock->close(ignored);
            });
            return;
        }
        std::make_shared<Connection>(std::move(s), shared_)->start();
    }
};

}  // namespace

int serve(State& state) {
    const Config& cfg = state.config();
    net::io_context ioc(static_cast<int>(cfg.threads));
    Shared shared(state, ioc);
    beast::error_code ec;
    auto address = net::ip::make_address(cfg.host, ec);
    if (ec) {
        std::cerr << "symtri serve: '" << cfg.host << "' is not an IP address\n";
        return 2;
    }
    tcp::acceptor acceptor(ioc);
    tcp::endpoint ep(address, cfg.port);
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        std::cerr << "symtri serve: cannot listen on " << cfg.host << ":" << cfg.port << " (" << ec.message() << ")\n";
        return 1;
    }
    auto bound = acceptor.local_endpoint();
    auto rules = state.rules();
    // The one line on standard output: where it listens (port 0 picks a free port; tests read this).
    std::cout << "{\"event\":\"listening\",\"address\":\"" << bound.address().to_string() << "\",\"port\":" << bound.port()
              << ",\"ruleset\":" << nlohmann::json(rules->info.digest).dump() << "}" << std::endl;

    std::make_shared<Listener>(shared, acceptor)->accept();

    net::signal_set signals(ioc, SIGTERM, SIGINT, SIGHUP);
    net::steady_timer drain_timer(ioc);
    std::function<void()> wait_drained = [&] {
        if (shared.in_flight.load() == 0) return ioc.stop();
        drain_timer.expires_after(std::chrono::milliseconds(5));
        drain_timer.async_wait([&](beast::error_code) { wait_drained(); });
    };
    std::function<void()> wait_signal = [&] {
        signals.async_wait([&](beast::error_code sec, int sig) {
            if (sec) return;
            if (sig == SIGHUP) {
                ReloadResult r = state.reload();
                std::fprintf(stderr, "{\"event\":\"reload\",\"ok\":%s,\"message\":%s}\n", r.ok ? "true" : "false",
                             json_str(r.message).c_str());
                return wait_signal();
            }
            // Stop accepting; requests being handled finish and are answered; then stop.
            std::fprintf(stderr, "{\"event\":\"stopping\",\"signal\":%d,\"in_flight\":%ld}\n", sig, shared.in_flight.load());
            shared.draining = true;
            beast::error_code ignored;
            acceptor.close(ignored);
            wait_drained();
        });
    };
    wait_signal();

    std::vector<std::thread> threads;
    for (unsigned i = 1; i < cfg.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    std::fprintf(stderr, "{\"event\":\"stopped\"}\n");
    return 0;
}

}  // namespace symtri_service
