// SPDX-License-Identifier: Apache-2.0
// CLIPS 6.30 runner for bench/peers/run.py: a Rete engine, through its C API (Debian libclips-dev).
//
//   symtri_peer_clips DIR N
//
// Loads clips-rules-N.clp (EnvLoad), then per case: EnvReset, EnvAssertString of the case's fact
// text, EnvRun, read the (fired K) facts back and write them as a JSON array: text in, JSON out.
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "timing.hpp"

extern "C" {
#include <clips/clips.h>
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: symtri_peer_clips DIR N\n";
        return 2;
    }
    std::string dir = argv[1];
    std::string n = argv[2];
    auto opt = peers::timing_options_from_env();

    auto t0 = std::chrono::steady_clock::now();
    void* env = CreateEnvironment();
    std::string rules = dir + "/clips-rules-" + n + ".clp";
    if (EnvLoad(env, rules.c_str()) != 1) {
        std::cerr << "symtri_peer_clips: cannot load " << rules << "\n";
        return 1;
    }
    double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    void* fired_template = EnvFindDeftemplate(env, "fired");
    if (!fired_template) {
        std::cerr << "symtri_peer_clips: no (fired) template\n";
        return 1;
    }
    std::vector<std::string> cases;
    {
        std::ifstream in(dir + "/clips-cases-" + n + ".txt");
        for (std::string l; std::getline(in, l);)
            if (!l.empty()) cases.push_back(l);
    }
    std::vector<std::vector<int>> matches(cases.size());
    std::string json;
    std::size_t out_bytes = 0;
    auto us = peers::time_passes(cases.size(), opt, [&] {
        out_bytes = 0;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            EnvReset(env);
            if (!EnvAssertString(env, cases[i].c_str())) throw std::runtime_error("assert failed");
            EnvRun(env, -1);
            auto& m = matches[i];
            m.clear();
            json.assign("[");
            for (void* f = EnvGetNextFact(env, nullptr); f; f = EnvGetNextFact(env, f)) {
                if (EnvFactDeftemplate(env, f) != fired_template) continue;
                DATA_OBJECT d;
                EnvGetFactSlot(env, f, nullptr, &d);
                void* mf = GetValue(d);
                long long k = ValueToLong(GetMFValue(mf, GetDOBegin(d)));
                m.push_back(static_cast<int>(k));
                if (json.size() > 1) json += ',';
                json += std::to_string(k);
            }
            json += ']';
            out_bytes += json.size();
        }
    });
    peers::report("clips", n, cases.size(), load_ms, us, matches,
                  ",\"out_bytes_per_case\":" + std::to_string(out_bytes / std::max<std::size_t>(1, cases.size())));
    DestroyEnvironment(env);
    return 0;
}
