// Records per second through the bsmtrace engine: the shipped bsmtrace.conf
// plus 100 generated sequences, over a 200,000-record generated trail.
// Two figures: engine only (facts extracted up front) and the whole path
// (framing + extract_facts + engine), which is what the tool does.
#include <benchmark/benchmark.h>
#include <sys/stat.h>

#include <cstdlib>
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

// Every user name in the shipped config resolves, whatever host runs this.
struct BenchAccounts : tables::Accounts {
  std::optional<std::string_view> user_name(uint32_t) override { return std::nullopt; }
  std::optional<std::string_view> group_name(uint32_t) override { return std::nullopt; }
  std::optional<uint32_t> user_id(std::string_view) override { return 1001; }
  std::optional<uint32_t> group_id(std::string_view) override { return 20; }
};

// A mix like real policies: event sets, class sets, path and pcre objects,
// multipliers, timeouts and `not`.
std::string generated_sequences(const tables::EventTable& events) {
  std::ostringstream out;
  auto entries = events.entries();
  for (int i = 0; i < 100; ++i) {
    const auto& a = entries[(i * 37) % entries.size()];
    const auto& b = entries[(i * 91 + 5) % entries.size()];
    out << "sequence gen." << i << " {\n  subject " << (i % 4 == 0 ? "not <auid> { 0; }" : "any") << ";\n  timeout "
        << (10 + i) << " seconds;\n";
    if (i % 5 == 0) out << "  scope process;\n";
    out << "  state { event <auditevent> { " << a.name << ", " << b.name << "; }; status "
        << (i % 2 ? "failure" : "any") << "; multiplier " << (1 + i % 3) << ";";
    if (i % 3 == 0) out << " object not <path> { /usr, /bin, /lib; };";
    if (i % 7 == 0) out << " object <pcre> { \\.(conf|db)$; };";
    out << " };\n";
    if (i % 2 == 0) out << "  state { event <auditclass> { " << (i % 4 ? "fw" : "ex") << "; }; status success; };\n";
    out << "};\n";
  }
  return out.str();
}

trace::Policy load_policy() {
  static BenchAccounts accounts;
  trace::NameResolver names{&tables::EventTable::builtin(), &tables::ClassTable::builtin(), &accounts};
  std::ifstream in(std::string(BULLION_SHARED_DIR) + "/corpus/bsmtrace/bsmtrace.conf");
  std::stringstream text;
  text << in.rdbuf() << generated_sequences(tables::EventTable::builtin());
  auto policy = trace::parse_policy_text(text.str(), "bench.conf", names);
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

struct Fixture {
  trace::Policy policy = load_policy();
  std::vector<uint8_t> bytes = load_trail();
  std::vector<bsm::RecordFacts> facts;
  Fixture() {
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

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_EngineOnly(benchmark::State& state) {
  auto& fx = fixture();
  NullSink sink;
  trace::Engine engine(fx.policy, tables::EventTable::builtin(), sink);
  for (auto _ : state)
    for (const auto& f : fx.facts) engine.process(f);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(fx.facts.size()));
  state.counters["sequences"] = static_cast<double>(fx.policy.sequences.size());
  state.counters["alerts/pass"] = static_cast<double>(sink.alerts) / state.iterations();
}
BENCHMARK(BM_EngineOnly)->Unit(benchmark::kMillisecond);

void BM_FramingFactsAndEngine(benchmark::State& state) {
  auto& fx = fixture();
  NullSink sink;
  trace::Engine engine(fx.policy, tables::EventTable::builtin(), sink);
  for (auto _ : state) {
    auto reader = bsm::RecordReader::from_memory(fx.bytes, "bench");
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
      engine.process(f);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(fx.facts.size()));
}
BENCHMARK(BM_FramingFactsAndEngine)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
