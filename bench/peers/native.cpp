// SPDX-License-Identifier: Apache-2.0
// Native runners for bench/peers/run.py: the hand-written C++ loop (the floor) and symtri.
//
//   symtri_peer_native MODE DIR N
//     floor            a plain loop over the rules as {fact, op, value} triples, facts in an int array
//     symtri-prepared  Evaluator::evaluate on cases parsed once (no JSON)
//     symtri-json      Session::triage: case JSON in, result JSON out (C++ API)
//     symtri-capi      the same through the C API (when built with it)
//
// Prints one JSON line: per-case times of each pass, their median, and the digest of the matches.
#include <array>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <symtri/symtri.hpp>

#ifdef SYMTRI_BENCH_HAVE_CAPI
#include <symtri/symtri.h>
#endif

#include "timing.hpp"

namespace {

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) lines.push_back(l);
    return lines;
}

// ------------------------------------------------------------------ the floor
enum class Op : unsigned char { eq, ge, le, gt, lt };
struct Cond {
    int fact;
    Op op;
    int value;
};
struct FloorRule {
    Cond c[3];
};

inline bool holds(const Cond& c, const int* facts) {
    int x = facts[c.fact];
    switch (c.op) {
        case Op::eq: return x == c.value;
        case Op::ge: return x >= c.value;
        case Op::le: return x <= c.value;
        case Op::gt: return x > c.value;
        case Op::lt: return x < c.value;
    }
    return false;
}

int run_floor(const std::string& dir, const std::string& n, const peers::TimingOptions& opt) {
    auto t0 = std::chrono::steady_clock::now();
    std::ifstream in(dir + "/workload-" + n + ".json");
    nlohmann::json w = nlohmann::json::parse(in);
    auto fact_index = [](const std::string& f) { return (f[0] == 'b' ? 0 : 10) + std::stoi(f.substr(1)); };
    std::vector<FloorRule> rules;
    for (const auto& r : w["rules"]) {
        FloorRule fr{};
        for (int k = 0; k < 3; ++k) {
            const auto& c = r[static_cast<std::size_t>(k)];
            std::string op = c[1];
            fr.c[k].fact = fact_index(c[0]);
            fr.c[k].op = op == "==" ? Op::eq : op == ">=" ? Op::ge : op == "<=" ? Op::le : op == ">" ? Op::gt : Op::lt;
            fr.c[k].value = c[2].is_boolean() ? (c[2].get<bool>() ? 1 : 0) : c[2].get<int>();
        }
        rules.push_back(fr);
    }
    std::vector<std::array<int, 20>> cases;
    for (const auto& c : w["cases"]) {
        std::array<int, 20> f{};
        for (auto it = c.begin(); it != c.end(); ++it)
            f[static_cast<std::size_t>(fact_index(it.key()))] = it->is_boolean() ? (it->get<bool>() ? 1 : 0) : it->get<int>();
        cases.push_back(f);
    }
    double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::vector<std::vector<int>> matches(cases.size());
    auto us = peers::time_passes(cases.size(), opt, [&] {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            auto& out = matches[i];
            out.clear();
            const int* facts = cases[i].data();
            for (std::size_t r = 0; r < rules.size(); ++r) {
                const FloorRule& fr = rules[r];
                if (holds(fr.c[0], facts) && holds(fr.c[1], facts) && holds(fr.c[2], facts)) out.push_back(static_cast<int>(r));
            }
        }
    });
    peers::report("floor", n, cases.size(), load_ms, us, matches);
    return 0;
}

// ------------------------------------------------------------------ symtri
// Matches are reported as workload rule indices: for the generated workloads rule "r<k>" is rule k
// of the rule set; for the shipped rule set, the position of the rule's id in rule-ids-shipped.json.
std::vector<int> remap;
void collect(const symtri::Outcome& o, std::vector<int>& out) {
    out.clear();
    for (auto r : o.fired) out.push_back(remap[static_cast<std::size_t>(r)]);
}

void make_remap(const symtri::RuleSet& rs, const std::string& dir, const std::string& n) {
    remap.resize(rs.rules.size());
    if (n != "shipped") {
        for (std::size_t r = 0; r < remap.size(); ++r) remap[r] = static_cast<int>(r);
        return;
    }
    std::ifstream in(dir + "/rule-ids-shipped.json");
    auto ids = nlohmann::json::parse(in).get<std::vector<std::string>>();
    for (std::size_t r = 0; r < remap.size(); ++r)
        remap[r] = static_cast<int>(std::lower_bound(ids.begin(), ids.end(), rs.rules[r].id) - ids.begin());
}

int run_symtri(const std::string& mode, const std::string& dir, const std::string& n, const peers::TimingOptions& opt) {
    auto t0 = std::chrono::steady_clock::now();
    auto rs = symtri::load_rules(dir + "/symtri-" + n);
    double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    make_remap(*rs, dir, n);
    auto lines = read_lines(dir + "/symtri-cases-" + n + ".jsonl");
    std::vector<std::vector<int>> matches(lines.size());
    std::size_t out_bytes = 0;
    std::vector<double> us;
    if (mode == "symtri-prepared") {
        std::vector<symtri::Case> cases(lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            symtri::CaseError err;
            if (!symtri::parse_case(*rs, lines[i], cases[i], err)) throw std::runtime_error(err.message);
        }
        symtri::Evaluator ev(rs);
        symtri::Outcome out;
        us = peers::time_passes(cases.size(), opt, [&] {
            for (std::size_t i = 0; i < cases.size(); ++i) {
                ev.evaluate(cases[i], out);
                collect(out, matches[i]);
            }
        });
    } else if (mode == "symtri-json") {
        symtri::Session session(rs);
        std::string result;
        symtri::CaseError err;
        us = peers::time_passes(lines.size(), opt, [&] {
            out_bytes = 0;
            for (std::size_t i = 0; i < lines.size(); ++i) {
                if (!session.triage(lines[i], result, err)) throw std::runtime_error(err.message);
                out_bytes += result.size();
                collect(session.last_outcome(), matches[i]);
            }
        });
    }
#ifdef SYMTRI_BENCH_HAVE_CAPI
    else if (mode == "symtri-capi") {
        symtri_engine* engine = nullptr;
        std::string path = dir + "/symtri-" + n;
        if (symtri_engine_open(path.c_str(), nullptr, &engine) != SYMTRI_OK)
            throw std::runtime_error(symtri_engine_errmsg(engine));
        std::vector<std::string> outputs(lines.size());
        us = peers::time_passes(lines.size(), opt, [&] {
            out_bytes = 0;
            for (std::size_t i = 0; i < lines.size(); ++i) {
                symtri_result* r = nullptr;
                if (symtri_engine_triage(engine, lines[i].data(), lines[i].size(), &r) != SYMTRI_OK)
                    throw std::runtime_error(symtri_result_errmsg(r));
                std::size_t len = 0;
                const char* json = symtri_result_json(r, &len);
                outputs[i].assign(json, len);
                out_bytes += len;
                symtri_result_destroy(r);
            }
        });
        symtri_engine_close(engine);
        // The matches, read back from the result JSON (the generated workloads' rules are all of kind
        // info; for the shipped rule set the JSON leaves blocked recommendations out, so no capi there).
        for (std::size_t i = 0; i < lines.size(); ++i) {
            auto j = nlohmann::json::parse(outputs[i]);
            matches[i].clear();
            for (const auto& x : j["info"]) matches[i].push_back(remap[static_cast<std::size_t>(std::stoi(x["rule"].get<std::string>().substr(1)))]);
        }
    }
#endif
    else {
        std::cerr << "unknown mode " << mode << "\n";
        return 2;
    }
    peers::report(mode.c_str(), n, lines.size(), load_ms, us, matches,
                  ",\"out_bytes_per_case\":" + std::to_string(out_bytes / std::max<std::size_t>(1, lines.size())));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: symtri_peer_native floor|symtri-prepared|symtri-json|symtri-capi DIR N\n";
        return 2;
    }
    std::string mode = argv[1], dir = argv[2];
    std::string n = argv[3];
    auto opt = peers::timing_options_from_env();
    try {
        if (mode == "floor") return run_floor(dir, n, opt);
        return run_symtri(mode, dir, n, opt);
    } catch (const std::exception& e) {
        std::cerr << "symtri_peer_native: " << e.what() << "\n";
        return 1;
    }
}
