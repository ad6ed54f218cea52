// SPDX-License-Identifier: Apache-2.0
// Fuzzes `symtri serve`'s request handling without sockets: any bytes as an HTTP request, parsed by
// Boost.Beast's request_parser with the server's header and body limits, then handed to the router
// (src/service/router.cpp) as the server does. Checks: nothing crashes or leaks (ASan, UBSan), the
// answer is a status the service uses, and every error answer is JSON with error.code and
// error.message and names no server path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "fuzz_common.hpp"
#include "service.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static symtri_service::State* state = [] {
        symtri_service::Config c;
        c.access_log = false;
        auto* s = new symtri_service::State(c);
        s->set_rules(symtri::load_builtin_rules());
        return s;
    }();
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(state->config().max_header_bytes));
    parser.body_limit(state->config().max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = 0;
    while (used < size && !parser.is_done()) {
        std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
        if (ec == http::error::need_more) {
            ec = {};
            if (n == 0) break;
        } else if (ec) {
            return 0;  // the server answers these with 400/413/431 before the router sees them
        }
        used += n;
        if (n == 0) break;
    }
    if (!parser.is_done()) {
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return 0;
    }
    const symtri_service::Request& req = parser.get();
    // Reloading compiles the whole rule set: too slow for a fuzz iteration, and not request handling.
    if (req.target().find("/admin/") != boost::beast::string_view::npos) return 0;
    symtri_service::Handled h = symtri_service::handle(*state, req);
    unsigned status = h.response.result_int();
    FUZZ_CHECK(status == 200 || (status >= 400 && status <= 503), "unexpected status");
    if (status >= 400) {
        const std::string& body = h.response.body();
        FUZZ_CHECK(body.find("\"error\"") != std::string::npos, "an error answer without an error object");
        // A server path in an answer leaks the server's layout; the client's own text echoed back (an
        // unknown finding id it sent, say) does not, so only paths the request did not hold count.
        const std::string_view input(reinterpret_cast<const char*>(data), size);
        for (const char* path : {"/work/", "/src/", "/usr/", "/root/"})
            FUZZ_CHECK(input.find(path) != std::string_view::npos || body.find(path) == std::string::npos,
                       "a server path in an error answer");
        if (req.method() != http::verb::head) {
            auto j = nlohmann::json::parse(body, nullptr, false);
            FUZZ_CHECK(!j.is_discarded() && j.contains("error") && j["error"].contains("code") && j["error"].contains("message"),
                       "an error answer that is not {\"error\": {\"code\", \"message\"}}");
        }
    }
    return 0;
}
