// A bsmtrace policy from arbitrary text: parsing must end in a policy or an
// error naming file:line:column, never a crash or a hang; a policy that
// parses must build an engine and run a few records through it (extensions
// and all). Include statements are left out: they read files.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bullion/bsm/facts.h"
#include "bullion/tables.h"
#include "bullion/trace/engine.h"
#include "bullion/trace/policy.h"

namespace {

using namespace bullion;

struct NullSink : trace::EngineSink {
  void state_matched(const trace::StateMatch&) override {}
  void completed(const trace::Alert& alert) override {
    if (alert.records.empty()) std::abort();  // every alert has its records
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.find("include") != std::string_view::npos) return 0;
  trace::NameResolver names{&tables::EventTable::builtin(), &tables::ClassTable::builtin(), nullptr};
  auto policy = trace::parse_policy_text(text, "fuzz.conf", names);
  if (!policy) {
    if (policy.error().message.rfind("fuzz.conf:", 0) != 0) std::abort();  // errors name their place
    return 0;
  }
  NullSink sink;
  trace::Engine engine(*policy, tables::EventTable::builtin(), sink);
  // A few records that the extensions react to: logins from one address,
  // a file written then read, time moving on past timeouts.
  static const uint16_t kEvents[] = {32800, 32800, 77, 72, 23, 72};
  for (uint32_t i = 0; i < 24; ++i) {
    bsm::RecordFacts f;
    f.event = kEvents[i % 6];
    f.seconds = 1000 + i * 7;
    f.has_subject = i % 5 != 0;
    f.subject.auid = 1000 + i % 3;
    f.subject.addr[3] = static_cast<uint8_t>(i % 2);
    f.return_errno = i % 3 == 0 ? 0 : 13;
    f.path_count = 1;
    f.last_path = i % 2 ? "/home/a/Downloads/x.zip" : "/aaaaaaaaaaaaaaaa!";
    f.zonename = i % 4 ? "web1" : "";
    engine.process(f, trace::RecordOrigin{"fuzz.bsm", i * 100u, true});
  }
  engine.finish();
  return 0;
}
