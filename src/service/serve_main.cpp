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

const char* const serve_usage =
    "usage: symtri serve [--rules PATH] [--listen HOST:PORT] [--threads N] [--auth-token-file FILE]\n"
    "                    [--max-body-bytes N] [--max-batch-bytes N] [--max-header-bytes N]\n"
    "                    [--max-connections N] [--request-timeout-ms N] [--no-access-log]\n"
    "  triage over HTTP: the JSON API (/v1/triage, /v1/batch, /v1/rules, /healthz, /metrics) and a CDS Hooks\n"
    "  2.0 service (/cds-services). Listens on 127.0.0.1:8080 by default; a non-loopback address needs a\n"
    "  bearer token (--auth-token-file FILE, or the environment variable SYMTRI_SERVE_TOKEN).\n"
    "  Prints {\"event\":\"listening\",\"address\",\"port\",\"ruleset\"} on stdout once listening (port 0: any free port).\n"
    "  SIGHUP reloads the rule set; SIGTERM stops after answering the requests being handled. See docs/service.md.\n";

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

}  // namespace

int run_serve(int argc, char** argv) {
    Config c;
    std::string listen = "127.0.0.1:8080", token_file;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i], v;
        auto eq = a.find('=');
        bool has_inline = a.rfind("--", 0) == 0 && eq != std::string::npos;
        if (has_inline) {
            v = a.substr(eq + 1);
            a = a.substr(0, eq);
        }
        auto value = [&]() -> bool {
            if (has_inline) return true;
            if (i + 1 >= argc) return false;
            v = argv[++i];
            return true;
        };
        unsigned long long n = 0;
        if (a == "-h" || a == "--help") {
            std::cout << serve_usage;
            return 0;
        } else if (a == "--rules") {
            if (!value()) return usage("--rules needs a path");
            c.rules = v;
        } else if (a == "--listen") {
            if (!value()) return usage("--listen needs HOST:PORT");
            listen = v;
        } else if (a == "--threads") {
            if (!value() || !number(v, 1, 256, n)) return usage("--threads must be a number from 1 to 256");
            c.threads = static_cast<unsigned>(n);
        } else if (a == "--auth-token-file") {
            if (!value()) return usage("--auth-token-file needs a file");
            token_file = v;
        } else if (a == "--max-body-bytes") {
            if (!value() || !number(v, 1, 1ull << 32, n)) return usage("--max-body-bytes must be a number of bytes");
            c.max_body_bytes = static_cast<std::size_t>(n);
        } else if (a == "--max-batch-bytes") {
            if (!value() || !number(v, 1, 1ull << 34, n)) return usage("--max-batch-bytes must be a number of bytes");
            c.max_batch_bytes = static_cast<std::size_t>(n);
        } else if (a == "--max-header-bytes") {
            if (!value() || !number(v, 256, 1u << 20, n)) return usage("--max-header-bytes must be a number from 256 to 1048576");
            c.max_header_bytes = static_cast<std::size_t>(n);
        } else if (a == "--max-connections") {
            if (!value() || !number(v, 1, 100000, n)) return usage("--max-connections must be a number from 1 to 100000");
            c.max_connections = static_cast<std::size_t>(n);
        } else if (a == "--request-timeout-ms") {
            if (!value() || !number(v, 1, 3600000, n)) return usage("--request-timeout-ms must be a number from 1 to 3600000");
            c.request_timeout = std::chrono::milliseconds(n);
        } else if (a == "--no-access-log") {
            c.access_log = false;
        } else {
            return usage("unknown option '" + std::string(argv[i]) + "'");
        }
    }
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
