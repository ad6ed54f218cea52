// SPDX-License-Identifier: Apache-2.0
// `symtri serve`: its options, the rule set, the authentication check, then serve().
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/asio/ip/address.hpp>

#include "service.hpp"

namespace symtri_service {

namespace {

int usage(const std::string& msg) {
    std::cerr << "symtri serve: " << msg << "\n(run 'symtri serve --help' for usage)\n";
    return 2;
}

bool number(const std::string& s, unsigned long long min, unsigned long long max, unsigned long long& out) {
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoull(s);
    return out >= min && out <= max;
}

std::string trim(std::string s) {
    while (!s.empty() && std::strchr(" \t\r\n", s.back())) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && std::strchr(" \t\r\n", s[i])) ++i;
    return s.substr(i);
}

// A --max-... value: digits only, in [min, max].
bool value_of(const std::optional<std::string>& text, unsigned long long min, unsigned long long max,
              unsigned long long& out) {
    return !text || number(*text, min, max, out);
}

}  // namespace

int run_serve(const ServeOptions& so) {
    Config c;
    c.rules = so.rules;
    if (so.threads) c.threads = so.threads;
    c.load_limits = so.load_limits;
    c.case_limits = so.case_limits;
    c.triage_options = so.triage_options;
    c.access_log = !so.no_access_log;
    std::string listen = so.listen.value_or("127.0.0.1:8080"), token_file = so.auth_token_file.value_or("");
    if (so.auth_token_file && token_file.empty()) return usage("--auth-token-file needs a file");
    unsigned long long n = 0;
    if (!value_of(so.max_body_bytes, 1, 1ull << 32, n)) return usage("--max-body-bytes must be a number of bytes from 1 to 4294967296, got '" + *so.max_body_bytes + "'");
    if (so.max_body_bytes) c.max_body_bytes = static_cast<std::size_t>(n);
    if (!value_of(so.max_batch_bytes, 1, 1ull << 34, n)) return usage("--max-batch-bytes must be a number of bytes from 1 to 17179869184, got '" + *so.max_batch_bytes + "'");
    if (so.max_batch_bytes) c.max_batch_bytes = static_cast<std::size_t>(n);
    if (!value_of(so.max_header_bytes, 256, 1u << 20, n)) return usage("--max-header-bytes must be a number from 256 to 1048576, got '" + *so.max_header_bytes + "'");
    if (so.max_header_bytes) c.max_header_bytes = static_cast<std::size_t>(n);
    if (!value_of(so.max_connections, 1, 100000, n)) return usage("--max-connections must be a number from 1 to 100000, got '" + *so.max_connections + "'");
    if (so.max_connections) c.max_connections = static_cast<std::size_t>(n);
    if (!value_of(so.request_timeout_ms, 1, 3600000, n)) return usage("--request-timeout-ms must be a number from 1 to 3600000, got '" + *so.request_timeout_ms + "'");
    if (so.request_timeout_ms) c.request_timeout = std::chrono::milliseconds(n);

    // HOST:PORT, [v6]:PORT
    auto colon = listen.rfind(':');
    unsigned long long port = 0;
    if (colon == std::string::npos || !number(listen.substr(colon + 1), 0, 65535, port))
        return usage("--listen must be HOST:PORT, e.g. 127.0.0.1:8080, got '" + listen + "'");
    c.host = listen.substr(0, colon);
    if (c.host.size() > 2 && c.host.front() == '[' && c.host.back() == ']') c.host = c.host.substr(1, c.host.size() - 2);
    if (c.host == "localhost") c.host = "127.0.0.1";
    c.port = static_cast<unsigned short>(port);
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(c.host, ec);
    if (ec) return usage("--listen needs an IP address (or localhost), got '" + c.host + "'");

    if (!token_file.empty()) {
        std::ifstream in(token_file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in) return usage("cannot read the token file '" + token_file + "'");
        c.token = trim(ss.str());
        if (c.token.empty()) return usage("the token file '" + token_file + "' is empty");
    } else if (const char* env = std::getenv("SYMTRI_SERVE_TOKEN")) {
        c.token = trim(env);
    }
    if (!address.is_loopback() && c.token.empty())
        return usage("refusing to listen on " + c.host +
                     ", which is not a loopback address, without authentication: give --auth-token-file FILE or set "
                     "SYMTRI_SERVE_TOKEN");
    if (!c.token.empty() && c.token.size() < 16) return usage("the bearer token must be at least 16 characters");

    State state(c);
    ReloadResult r = state.reload();
    if (!r.ok) {
        for (const auto& d : r.problems) std::cerr << d.format() << "\n";
        std::cerr << "symtri serve: " << r.message.substr(0, r.message.find(';')) << "\n";
        return 3;
    }
    return serve(state);
}

}  // namespace symtri_service
