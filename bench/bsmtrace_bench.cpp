// The bsmtrace engine with 1, 100 and 10,000 generated sequences over a
// 200,000-record generated trail: start-up (parsing the policy and building
// the engine), the engine alone (facts extracted up front), and the whole
// path (framing + extract_facts + engine), which is what the tool does.
//
//   bsmtrace_bench [benchmark flags]
//   bsmtrace_bench --write-policy N FILE   the same policy as a file, for
//                                          bench/bsmtrace_tool_bench.sh
#include <benchmark/benchmark.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/tables.h"
#include "bullion/trace/engine.h"
#include "bullion/trace/policy.h"

namespace {

using namespace bullion;

const char kTrail[] = "/tmp/bsmtrace_bench_seed7.bsm";

struct NullSink : trace::EngineSink {
  uint64_t alerts = 0, matches = 0;
  void state_matched(const trace::StateMatch&) override { ++matches; }
  void completed(const trace::Alert&) override { ++alerts; }
};

// Users are numbers, so the policy means the same on any host.
struct NoAccounts : tables::Accounts {
  std::optional<std::string_view> user_name(uint32_t) override { return std::nullopt; }
  std::optional<std::string_view> group_name(uint32_t) override { return std::nullopt; }
  std::optional<uint32_t> user_id(std::string_view) override { return std::nullopt; }
  std::optional<uint32_t> group_id(std::string_view) override { return std::nullopt; }
};

// A mix like real policies, in the original's language only (so the
// original bsmtrace reads the same file), where alerts are the exception:
// multi-state sequences over sets of a few events (instances start often,
// complete rarely), one-state sequences that watch particular objects
// (path prefixes, a pcre), class sets with objects, subject sets, `not`,
// multipliers, timeouts, scope, and now and then `event any`. Events are
// AUE_ names of OpenBSM's audit_event, as policies write them.
std::string generated_policy(int count) {
  // OpenBSM's own events only (not the AUE_LINUX_ ones of our table).
  std::vector<tables::EventEntry> entries;
  for (const auto& e : tables::EventTable::builtin().entries())
    if (!std::string_view(e.name).starts_with("AUE_LINUX_")) entries.push_back(e);
  static const char* const kClasses[] = {"fr", "fw", "ex", "pc", "lo", "nt", "fc", "fd", "fa", "cl"};
  auto event = [&](int i, int k) { return entries[(static_cast<size_t>(i) * 37 + k * 91 + 5) % entries.size()].name; };
  std::ostringstream out;
  for (int i = 0; i < count; ++i) {
    const bool single = i % 2 == 1;
    out << "sequence gen." << i << " {\n  subject ";
    if (i % 4 == 0)
      out << "not <auid> { 0; }";
    else if (i % 4 == 1)
      out << "<auid> { " << 1000 + i % 10 << ", " << 2000 + i % 1000 << "; }";
    else
      out << "any";
    out << ";\n  timeout " << (10 + i % 300) << " seconds;\n";
    if (i % 5 == 0) out << "  scope process;\n";
    out << "  state {";
    if (i % 500 == 499) {
      out << " event any; status failure; object <path> { /usr/bin/passwd; };";
    } else if (i % 10 == 3) {
      out << " event <auditclass> { " << kClasses[(i / 10) % 10] << "; }; status failure;"
          << " object <path> { /etc/ssh/ssh_host, /var/audit/current; };";
    } else {
      out << " event <auditevent> { " << event(i, 0) << ", " << event(i, 1) << ", " << event(i, 2) << "; };"
          << " status " << (i % 3 ? "failure" : "any") << "; multiplier " << (1 + i % 3) << ";";
      if (single && i % 7 == 0)
        out << " object <pcre> { ^/etc/(master\\.)?passwd$; };";
      else if (single)
        out << " object <path> { /home/u" << i % 1000 << "/, /srv/app" << i % 100 << "/; };";
      else if (i % 3 == 0)
        out << " object not <path> { /usr, /bin, /lib, /data; };";
    }
    out << " };\n";
    if (!single) {
      out << "  state { event ";
      if (i % 4 == 0)
        out << "<auditclass> { " << kClasses[(i / 4) % 10] << "; }; object <pcre> { \\.(conf|db)$; };";
      else
        out << "<auditevent> { " << event(i, 3) << ", " << event(i, 4) << "; };";
      out << " status success; };\n";
    }
    out << "};\n";
  }
  return out.str();
}

trace::Policy parse(const std::string& text) {
  static NoAccounts accounts;
  trace::NameResolver names{&tables::EventTable::builtin(), &tables::ClassTable::builtin(), &accounts};
  auto policy = trace::parse_policy_text(text, "bench.conf", names);
  if (!policy) {
    std::fprintf(stderr, "%s\n", policy.error().message.c_str());
    std::abort();
  }
  return std::move(*policy);
}

std::vector<uint8_t> load_trail() {
  struct stat st;
  if (stat(kTrail, &st) != 0) {
    std::string cmd = std::string("python3 ") + BULLION_SHARED_DIR +
                      "/tools/gen_trails.py --seed 7 --records 200000 --clean -o " + kTrail;
    if (std::system(cmd.c_str()) != 0) std::abort();
  }
  std::ifstream in(kTrail, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

struct Records {
  std::vector<uint8_t> bytes = load_trail();
  std::vector<bsm::RecordFacts> facts;
  Records() {
    auto reader = bsm::RecordReader::from_memory(bytes, "bench");
    bsm::RecordView view;
    for (;;) {
      auto next = reader->next(view);
      if (next == bsm::RecordReader::Next::End) break;
      if (next == bsm::RecordReader::Next::Damage) {
        if (!reader->resync()) break;
        continue;
      }
      if (view.is_file_token) continue;
      bsm::RecordFacts f;
      (void)bsm::extract_facts(view.bytes, f);
      facts.push_back(f);
    }
  }
};

Records& records() {
  static Records r;
  return r;
}

void BM_StartUp(benchmark::State& state) {
  const std::string text = generated_policy(static_cast<int>(state.range(0)));
  NullSink sink;
  for (auto _ : state) {
    trace::Policy policy = parse(text);
    trace::Engine engine(policy, tables::EventTable::builtin(), sink);
    benchmark::DoNotOptimize(engine.stats().index_entries);
  }
  state.counters["policy_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_StartUp)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_EngineOnly(benchmark::State& state) {
  auto& r = records();
  const trace::Policy policy = parse(generated_policy(static_cast<int>(state.range(0))));
  NullSink sink;
  trace::Engine engine(policy, tables::EventTable::builtin(), sink);
  for (auto _ : state)
    for (const auto& f : r.facts) engine.process(f);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.facts.size()));
  state.counters["alerts/pass"] = static_cast<double>(sink.alerts) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_EngineOnly)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_FramingFactsAndEngine(benchmark::State& state) {
  auto& r = records();
  const trace::Policy policy = parse(generated_policy(static_cast<int>(state.range(0))));
  NullSink sink;
  trace::Engine engine(policy, tables::EventTable::builtin(), sink);
  for (auto _ : state) {
    auto reader = bsm::RecordReader::from_memory(r.bytes, "bench");
    bsm::RecordView view;
    bsm::RecordFacts f;
    for (;;) {
      auto next = reader->next(view);
      if (next == bsm::RecordReader::Next::End) break;
      if (next == bsm::RecordReader::Next::Damage) {
        if (!reader->resync()) break;
        continue;
      }
      if (view.is_file_token) continue;
      f = bsm::RecordFacts{};
      (void)bsm::extract_facts(view.bytes, f);
      engine.process(f, trace::RecordOrigin{view.source, view.offset, true});
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.facts.size()));
}
BENCHMARK(BM_FramingFactsAndEngine)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--write-policy") == 0) {
    std::ofstream(argv[3]) << generated_policy(std::atoi(argv[2]));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
