#include "bullion/trail/selection.h"

#include <gtest/gtest.h>

#include "bullion/bsm/encoder.h"
#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/trail/records.h"

namespace bullion::trail {
namespace {

constexpr uint16_t kAueOpenR = 72;    // fr
constexpr uint16_t kAueExecve = 23;   // pc,ex
constexpr uint16_t kAueLogin = 6152;  // lo
constexpr uint32_t kNobody = 0xffffffffu;

tables::PreselectMask flags(const char* text) {
  return *tables::parse_class_flags(text, tables::ClassTable::builtin());
}

std::vector<uint8_t> record(uint16_t event, uint32_t auid, uint32_t pid = 100, bool failed = false,
                            std::vector<std::string_view> args = {}, std::vector<std::string_view> env = {}) {
  bsm::RecordBuilder b;
  b.begin_header32(event, 0, 1700000000, 0);
  if (!args.empty()) b.exec_args(args);
  if (!env.empty()) b.exec_env(env);
  bsm::Subject subject;
  subject.auid = auid;
  subject.pid = pid;
  b.subject32_ex(subject);
  b.return32(failed ? 2 : 0, 0);
  auto bytes = b.finish();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

bool kept(const TrailSelector& selector, const std::vector<uint8_t>& r) {
  std::vector<uint8_t> rewritten;
  return selector.judge(r, rewritten) != TrailSelector::Verdict::Drop;
}

TEST(TrailSelector, FlagsForUsersNaflagsForNobody) {
  TrailSelector selector(Selection{flags("lo"), flags("fr"), {}, {}, kPolicyCnt}, nullptr);
  EXPECT_TRUE(kept(selector, record(kAueLogin, 1000)));
  EXPECT_FALSE(kept(selector, record(kAueOpenR, 1000)));
  EXPECT_TRUE(kept(selector, record(kAueOpenR, kNobody)));
  EXPECT_FALSE(kept(selector, record(kAueLogin, kNobody)));
}

TEST(TrailSelector, HonoursOutcomePrefixes) {
  TrailSelector selector(Selection{flags("-fr"), {}, {}, {}, 0}, nullptr);
  EXPECT_FALSE(kept(selector, record(kAueOpenR, 1000, 100, false)));
  EXPECT_TRUE(kept(selector, record(kAueOpenR, 1000, 100, true)));
}

TEST(TrailSelector, AuditUserAddsAndRemovesClassesForThatUser) {
  Selection s{flags("lo"), {}, {UserMask{1000, flags("fr"), flags("lo")}}, {}, 0};
  TrailSelector selector(s, nullptr);
  EXPECT_TRUE(kept(selector, record(kAueOpenR, 1000)));
  EXPECT_FALSE(kept(selector, record(kAueLogin, 1000)));
  EXPECT_FALSE(kept(selector, record(kAueOpenR, 1001)));
  EXPECT_TRUE(kept(selector, record(kAueLogin, 1001)));
  // The kernel must be asked for what any user might need.
  EXPECT_EQ(selector.kernel_classes(), flags("lo,fr"));
}

TEST(TrailSelector, ProcessMasksChangeOneProcessOnly) {
  Selection s{flags("lo"), {}, {}, {ProcessMask{4242, flags("pc"), flags("lo")}}, 0};
  TrailSelector selector(s, nullptr);
  EXPECT_TRUE(kept(selector, record(kAueExecve, 1000, 4242)));
  EXPECT_FALSE(kept(selector, record(kAueLogin, 1000, 4242)));
  EXPECT_FALSE(kept(selector, record(kAueExecve, 1000, 4243)));
  EXPECT_TRUE(kept(selector, record(kAueLogin, 1000, 4243)));
}

TEST(TrailSelector, ClassesComeFromTheGivenEventTable) {
  auto events = std::make_shared<tables::EventTable>(
      *tables::EventTable::parse("72:AUE_OPEN_R:open(2) - read:lo\n", tables::ClassTable::builtin()));
  TrailSelector selector(Selection{flags("lo"), {}, {}, {}, 0}, events);
  EXPECT_TRUE(kept(selector, record(kAueOpenR, 1000)));
}

TEST(TrailSelector, PolicyArgvAndArgeDecideWhatExecRecordsKeep) {
  auto exec = record(kAueExecve, 1000, 100, false, {"ls", "-l"}, {"SECRET=1"});
  auto decode = [](const std::vector<uint8_t>& r) {
    bsm::RecordFacts facts;
    EXPECT_TRUE(bsm::extract_facts(r, facts).ok());
    EXPECT_EQ(bsm::frame_record(r, 0).ok() ? *bsm::frame_record(r, 0) : 0u, r.size());
    return facts;
  };
  std::vector<uint8_t> out;
  TrailSelector both(Selection{flags("pc"), {}, {}, {}, kPolicyArgv | kPolicyArge}, nullptr);
  EXPECT_EQ(both.judge(exec, out), TrailSelector::Verdict::Keep);

  TrailSelector argv_only(Selection{flags("pc"), {}, {}, {}, kPolicyArgv}, nullptr);
  ASSERT_EQ(argv_only.judge(exec, out), TrailSelector::Verdict::Rewritten);
  auto facts = decode(out);
  EXPECT_EQ(facts.exec_argc, 2u);
  EXPECT_EQ(facts.exec_envc, 0u);
  EXPECT_EQ(facts.subject.auid, 1000u);  // the tokens after it survive

  TrailSelector neither(Selection{flags("pc"), {}, {}, {}, 0}, nullptr);
  ASSERT_EQ(neither.judge(exec, out), TrailSelector::Verdict::Rewritten);
  facts = decode(out);
  EXPECT_EQ(facts.exec_argc, 0u);
  EXPECT_EQ(facts.exec_envc, 0u);
  EXPECT_TRUE(facts.has_return);
}

TEST(TrailSelector, KeepsLossRecordsWhateverTheClasses) {
  TrailSelector selector(Selection{flags("lo"), flags("lo"), {}, {}, 0}, nullptr);
  EXPECT_TRUE(kept(selector, loss_record(7, "queue", DaemonIdentity{}, Timestamp{1700000000, 0})));
}

TEST(TrailSelector, KeepsWhatDoesNotDecode) {
  TrailSelector selector(Selection{}, nullptr);
  std::vector<uint8_t> junk{0x99, 1, 2, 3};
  std::vector<uint8_t> out;
  EXPECT_EQ(selector.judge(junk, out), TrailSelector::Verdict::Keep);
}

}  // namespace
}  // namespace bullion::trail
