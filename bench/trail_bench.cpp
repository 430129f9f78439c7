// How fast bsmauditd's trail side takes records: the keeper writing whole
// records into trails (rotation at 2M, expiry keeping 64M, sync every
// second), and the same behind the daemon's preselection. No kernel: the
// live side is measured by bench/live_bench.sh.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bullion/bsm/encoder.h"
#include "bullion/trail/keeper.h"
#include "bullion/trail/selection.h"

namespace {

using namespace bullion;

// Records shaped like the Linux source's file events (~300 bytes):
// header, subject, path, attribute, a text token, return.
std::vector<std::vector<uint8_t>> sample_records() {
  std::vector<std::vector<uint8_t>> records;
  for (uint32_t i = 0; i < 1024; ++i) {
    bsm::RecordBuilder b;
    b.begin_header32(i % 3 == 0 ? 275 : 286, 0, 1700000000 + i, i % 1000);  // AUE_OPENAT_WC, AUE_UNLINKAT
    b.path("/home/user/project/build/obj/file" + std::to_string(i) + ".o");
    b.attr32(0100644, 1000, 1000, 2049, 1000000 + i, 0);
    b.text("ppid=1234 comm=\"cc1plus\" exe=\"/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus\" key=bullion-42");
    bsm::Subject subject;
    subject.auid = 1000;
    subject.euid = subject.ruid = 1000;
    subject.pid = 4242 + i % 7;
    b.subject32_ex(subject);
    b.return32(0, 3);
    auto bytes = b.finish();
    records.emplace_back(bytes.begin(), bytes.end());
  }
  return records;
}

class NoWarnings final : public trail::Warner {
 public:
  Status warn(std::string_view, std::string_view) override { return Ok{}; }
};

struct Scratch {
  std::string path;
  Scratch() {
    char pattern[] = "/tmp/bullion-trail-bench-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~Scratch() { std::filesystem::remove_all(path); }
};

trail::KeeperOptions bench_options(const std::string& dir) {
  trail::KeeperOptions o;
  o.dirs = {dir};
  o.filesz = 2 << 20;
  o.expire = tables::ExpireAfter{std::nullopt, 64ull << 20, tables::ExpireAfter::Join::None};
  o.minfree = 5;
  return o;
}

void run_keeper(benchmark::State& state, bool select) {
  const auto records = sample_records();
  Scratch scratch;
  NoWarnings warner;
  trail::KeeperEnvironment env{trail::Clock::system(), trail::SpaceProbe::system(), warner, {}, {}, {}};
  trail::TrailKeeper keeper(bench_options(scratch.path), env);
  if (!keeper.open()) state.SkipWithError("no trail");
  auto flags = tables::parse_class_flags("fc,fd", tables::ClassTable::builtin());
  trail::TrailSelector selector(trail::Selection{*flags, *flags, {}, {}, trail::kPolicyCnt}, nullptr);
  std::vector<uint8_t> rewritten;
  size_t i = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    const auto& record = records[i++ % records.size()];
    if (!select || selector.judge(record, rewritten) != trail::TrailSelector::Verdict::Drop) keeper.write(record);
    bytes += record.size();
    // The live source hands records over in batches; the daemon ticks
    // (flush, sync on the interval, space check) after each.
    if (i % 256 == 0) keeper.tick();
  }
  (void)keeper.close();
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["trails"] = static_cast<double>(keeper.stats().trails_opened);
}

void BM_KeeperWritesTrails(benchmark::State& state) { run_keeper(state, false); }
void BM_PreselectionAndKeeper(benchmark::State& state) { run_keeper(state, true); }

BENCHMARK(BM_KeeperWritesTrails)->Unit(benchmark::kNanosecond)->MinTime(0.5);
BENCHMARK(BM_PreselectionAndKeeper)->Unit(benchmark::kNanosecond)->MinTime(0.5);

}  // namespace

BENCHMARK_MAIN();
