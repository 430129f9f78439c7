// The compiled selection, one behaviour per test, on records built with the
// encoder: every option, every width of header/subject/process/return.
#include "bullion/select/selector.h"

#include <gtest/gtest.h>

#include <vector>

#include "bullion/bsm/encoder.h"

namespace bullion::select {
namespace {

using bsm::FieldInput;
using bsm::RecordBuilder;
using bsm::Subject;
using bsm::TokenKind;

constexpr uint16_t kExecve = 23;   // AUE_EXECVE: pc,ex
constexpr uint16_t kOpenR = 72;    // AUE_OPEN_R: fr
constexpr uint16_t kLogin = 6152;  // AUE_login: lo

const tables::EventTable& events() { return tables::EventTable::builtin(); }
tables::PreselectMask classes(std::string_view flags) {
  return *tables::parse_class_flags(flags, tables::ClassTable::builtin());
}

Subject subject(uint32_t auid, uint32_t euid = 100, uint32_t pid = 4000) {
  Subject s;
  s.auid = auid, s.euid = euid, s.egid = 20, s.ruid = 101, s.rgid = 21, s.pid = pid, s.sid = 7;
  return s;
}

// Any subject/process kind through the table-driven encoder.
void add_actor(RecordBuilder& b, TokenKind kind, const Subject& s) {
  const uint8_t v4[4] = {10, 0, 0, 1};
  b.add(kind, {{s.auid},
               {s.euid},
               {s.egid},
               {s.ruid},
               {s.rgid},
               {s.pid},
               {s.sid},
               {s.port},
               {4},
               {.bytes = std::span<const uint8_t>(v4)}});
}

enum class Header { H32, H32Ex, H64, H64Ex };

void begin(RecordBuilder& b, Header h, uint16_t event, uint64_t sec) {
  const uint8_t host[4] = {192, 168, 0, 1};
  switch (h) {
    case Header::H32:
      return b.begin_header32(event, 0, static_cast<uint32_t>(sec), 5);
    case Header::H32Ex:
      return b.begin_header32_ex(event, 0, static_cast<uint32_t>(sec), 5, host);
    case Header::H64:
      return b.begin_header64(event, 0, sec, 5);
    case Header::H64Ex:
      b.begin_header64(event, 0, sec, 5);  // resets the buffer; then swap the header
      b = RecordBuilder();
      b.add(TokenKind::Header64Ex,
            {{0}, {11}, {event}, {0}, {4}, {.bytes = std::span<const uint8_t>(host)}, {sec}, {5}});
      return;
  }
}

std::vector<uint8_t> record(Header h, uint16_t event, uint64_t sec, void (*body)(RecordBuilder&) = nullptr) {
  RecordBuilder b;
  begin(b, h, event, sec);
  if (body) body(b);
  auto bytes = b.finish();
  return {bytes.begin(), bytes.end()};
}

Verdict judge(const Criteria& c, const std::vector<uint8_t>& rec) {
  auto s = Selector::compile(c, events());
  EXPECT_TRUE(s.ok());
  return s->judge(rec, 0);
}

constexpr Verdict kSel = Verdict::Select, kSkip = Verdict::Skip;

class EveryHeader : public ::testing::TestWithParam<Header> {};

TEST_P(EveryHeader, EventAndTimeAreReadFromTheRawHeader) {
  const auto r = record(GetParam(), kExecve, 1'700'000'000);
  Criteria c;
  c.events = {kExecve};
  EXPECT_EQ(judge(c, r), kSel);
  c.events = {kOpenR};
  EXPECT_EQ(judge(c, r), kSkip);
  c = {};
  c.after = 1'700'000'000;
  EXPECT_EQ(judge(c, r), kSel);  // -a is inclusive
  c.after = 1'700'000'001;
  EXPECT_EQ(judge(c, r), kSkip);
  c = {};
  c.before = 1'700'000'000;
  EXPECT_EQ(judge(c, r), kSel);  // -b is inclusive, as OpenBSM's difftime test
  c.before = 1'699'999'999;
  EXPECT_EQ(judge(c, r), kSkip);
  c.all_times = true;  // -A overrides
  EXPECT_EQ(judge(c, r), kSel);
  c = {};
  c.classes = classes("pc");
  EXPECT_EQ(judge(c, r), kSel);
  c.classes = classes("fr");
  EXPECT_EQ(judge(c, r), kSkip);
  c.invert = true;
  EXPECT_EQ(judge(c, r), kSel);
}

INSTANTIATE_TEST_SUITE_P(Widths, EveryHeader,
                         ::testing::Values(Header::H32, Header::H32Ex, Header::H64, Header::H64Ex));

TEST(Selector, HeaderOnlySelectionsDoNotNeedTokens) {
  Criteria c;
  c.events = {kExecve};
  c.classes = classes("pc,lo");
  c.after = 0;
  c.invert = true;
  EXPECT_TRUE(Selector::compile(c, events())->header_only());
  c.classes = classes("+fr");  // success and failure differ: returns matter
  EXPECT_FALSE(Selector::compile(c, events())->header_only());
  Criteria u;
  u.auid = 0;
  EXPECT_FALSE(Selector::compile(u, events())->header_only());
}

TEST(Selector, SeveralEventsSelectAnyOfThem) {
  Criteria c;
  c.events = {kOpenR, kLogin};
  EXPECT_EQ(judge(c, record(Header::H32, kLogin, 1)), kSel);
  EXPECT_EQ(judge(c, record(Header::H32, kExecve, 1)), kSkip);
}

TEST(Selector, UnknownEventNeverPassesClasses) {
  Criteria c;
  c.classes = classes("all");
  EXPECT_EQ(judge(c, record(Header::H32, 65000, 1)), kSkip);
}

class EveryReturn : public ::testing::TestWithParam<bool> {};

TEST_P(EveryReturn, SuccessOnlyClassLooksAtTheReturnStatus) {
  const bool wide = GetParam();
  Criteria c;
  c.classes = classes("+fr");
  auto ok = [&](uint8_t err) {
    RecordBuilder b;
    b.begin_header32(kOpenR, 0, 1, 0);
    if (wide)
      b.return64(err, 0);
    else
      b.return32(err, 0);
    auto bytes = b.finish();
    return judge(c, {bytes.begin(), bytes.end()});
  };
  EXPECT_EQ(ok(0), kSel);
  EXPECT_EQ(ok(2), kSkip);
  c.classes = classes("-fr");
  EXPECT_EQ(ok(0), kSkip);
  EXPECT_EQ(ok(2), kSel);
}

INSTANTIATE_TEST_SUITE_P(Widths, EveryReturn, ::testing::Values(false, true));

class EverySubject : public ::testing::TestWithParam<TokenKind> {};

TEST_P(EverySubject, UserGroupAndPidCriteriaReadTheSubject) {
  RecordBuilder b;
  b.begin_header32(kExecve, 0, 1, 0);
  add_actor(b, GetParam(), subject(0, 1000, 4242));
  auto bytes = b.finish();
  const std::vector<uint8_t> r(bytes.begin(), bytes.end());
  auto check = [&](auto set, Verdict want) {
    Criteria c;
    set(c);
    EXPECT_EQ(judge(c, r), want);
  };
  check([](Criteria& c) { c.auid = 0; }, kSel);
  check([](Criteria& c) { c.auid = 1; }, kSkip);
  check([](Criteria& c) { c.euid = 1000; }, kSel);
  check([](Criteria& c) { c.euid = 0; }, kSkip);
  check([](Criteria& c) { c.egid = 20; }, kSel);
  check([](Criteria& c) { c.egid = 0; }, kSkip);
  check([](Criteria& c) { c.ruid = 101; }, kSel);
  check([](Criteria& c) { c.ruid = 0; }, kSkip);
  check([](Criteria& c) { c.rgid = 21; }, kSel);
  check([](Criteria& c) { c.rgid = 0; }, kSkip);
  check([](Criteria& c) { c.subject_pid = 4242; }, kSel);
  check([](Criteria& c) { c.subject_pid = 1; }, kSkip);
  check([](Criteria& c) { c.object_pid = 4242; }, kSkip);  // no process token
}

INSTANTIATE_TEST_SUITE_P(Widths, EverySubject,
                         ::testing::Values(TokenKind::Subject32, TokenKind::Subject64, TokenKind::Subject32Ex,
                                           TokenKind::Subject64Ex));

class EveryProcess : public ::testing::TestWithParam<TokenKind> {};

TEST_P(EveryProcess, ObjectPidReadsTheProcessToken) {
  RecordBuilder b;
  b.begin_header32(kExecve, 0, 1, 0);
  add_actor(b, GetParam(), subject(5, 5, 777));
  auto bytes = b.finish();
  const std::vector<uint8_t> r(bytes.begin(), bytes.end());
  Criteria c;
  c.object_pid = 777;
  EXPECT_EQ(judge(c, r), kSel);
  c.object_pid = 778;
  EXPECT_EQ(judge(c, r), kSkip);
  Criteria j;
  j.subject_pid = 777;  // -j is the subject's pid, not the object's
  EXPECT_EQ(judge(j, r), kSkip);
  // Like a subject, a process token answers -u (OpenBSM checks process32).
  Criteria u;
  u.auid = 12345;
  EXPECT_EQ(judge(u, r), kSkip);
  u.auid = 5;
  EXPECT_EQ(judge(u, r), kSel);
}

INSTANTIATE_TEST_SUITE_P(Widths, EveryProcess,
                         ::testing::Values(TokenKind::Process32, TokenKind::Process64, TokenKind::Process32Ex,
                                           TokenKind::Process64Ex));

TEST(Selector, SubjectCriterionNeedsASubjectToken) {
  Criteria c;
  c.auid = 0;
  EXPECT_EQ(judge(c, record(Header::H32, kExecve, 1)), kSkip);
  c.invert = true;
  EXPECT_EQ(judge(c, record(Header::H32, kExecve, 1)), kSel);
}

TEST(Selector, FilePatternsFirstMatchDecidesAndEveryPathMustPass) {
  Criteria c;
  c.files = parse_file_patterns("~^/etc/shadow,^/etc/");
  auto one = [&](std::string_view p1, std::string_view p2 = {}) {
    RecordBuilder b;
    b.begin_header32(kOpenR, 0, 1, 0);
    b.path(p1);
    if (!p2.empty()) b.path(p2);
    auto bytes = b.finish();
    return judge(c, {bytes.begin(), bytes.end()});
  };
  EXPECT_EQ(one("/etc/passwd"), kSel);
  EXPECT_EQ(one("/etc/shadow"), kSkip);
  EXPECT_EQ(one("/home/x"), kSkip);
  EXPECT_EQ(one("/etc/passwd", "/tmp/x"), kSkip);
  EXPECT_EQ(judge(c, record(Header::H32, kOpenR, 1)), kSkip);  // no path at all
}

TEST(Selector, BadFilePatternIsAnError) {
  Criteria c;
  c.files = parse_file_patterns("(unclosed");
  auto s = Selector::compile(c, events());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("(unclosed"), std::string::npos);
}

TEST(Selector, IpcObjectsMatchByTypeAndId) {
  auto with_ipc = [](uint8_t type, uint32_t id) {
    RecordBuilder b;
    b.begin_header32(kExecve, 0, 1, 0);
    b.add(TokenKind::Ipc, {{type}, {id}});
    auto bytes = b.finish();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
  };
  Criteria c;
  c.msgqid = 9;
  EXPECT_EQ(judge(c, with_ipc(1, 9)), kSel);
  EXPECT_EQ(judge(c, with_ipc(1, 8)), kSkip);
  EXPECT_EQ(judge(c, with_ipc(2, 9)), kSkip);  // a semaphore, not a queue
  c = {};
  c.semid = 3;
  EXPECT_EQ(judge(c, with_ipc(2, 3)), kSel);
  c = {};
  c.shmid = 4;
  EXPECT_EQ(judge(c, with_ipc(3, 4)), kSel);
  EXPECT_EQ(judge(c, with_ipc(9, 4)), kSkip);  // unknown ipc type
}

TEST(Selector, ZoneMustEqualEveryZonenameToken) {
  Criteria c;
  c.zone = "global";
  auto zoned = [&](std::string_view z) {
    RecordBuilder b;
    b.begin_header32(kExecve, 0, 1, 0);
    b.zonename(z);
    auto bytes = b.finish();
    return judge(c, {bytes.begin(), bytes.end()});
  };
  EXPECT_EQ(zoned("global"), kSel);
  EXPECT_EQ(zoned("web"), kSkip);
  EXPECT_EQ(judge(c, record(Header::H32, kExecve, 1)), kSkip);
}

std::vector<uint8_t> with_socket(void (*add)(RecordBuilder&)) {
  RecordBuilder b;
  b.begin_header32(kExecve, 0, 1, 0);
  add(b);
  auto bytes = b.finish();
  return {bytes.begin(), bytes.end()};
}

TEST(Selector, SocketMatchesEverySocketTokenKind) {
  const auto inet32 = with_socket([](RecordBuilder& b) {
    const uint8_t a[4] = {10, 1, 2, 3};
    b.sockinet32(2, 443, a);
  });
  const auto inet128 = with_socket([](RecordBuilder& b) {
    uint8_t a[16] = {};
    a[15] = 1;
    b.sockinet128(26, 22, a);
  });
  const auto unix_sock = with_socket([](RecordBuilder& b) { b.sockunix(1, "/var/run/log"); });
  const auto socket32 = with_socket([](RecordBuilder& b) {
    const uint8_t l[4] = {127, 0, 0, 1}, r[4] = {8, 8, 8, 8};
    b.add(TokenKind::Socket,
          {{1}, {5555}, {.bytes = std::span<const uint8_t>(l)}, {53}, {.bytes = std::span<const uint8_t>(r)}});
  });
  const auto socket_ex = with_socket([](RecordBuilder& b) {
    const uint8_t l[4] = {192, 168, 1, 5}, r[4] = {1, 1, 1, 1};
    b.add(
        TokenKind::SocketEx,
        {{2}, {1}, {4}, {40000}, {.bytes = std::span<const uint8_t>(l)}, {80}, {.bytes = std::span<const uint8_t>(r)}});
  });
  auto sel = [&](std::string_view spec, const std::vector<uint8_t>& r) {
    Criteria c;
    c.socket = *parse_socket_spec(spec);
    return judge(c, r);
  };
  EXPECT_EQ(sel("10.1.2.3:443", inet32), kSel);
  EXPECT_EQ(sel("443", inet32), kSel);
  EXPECT_EQ(sel("10.1.2.3:80", inet32), kSkip);
  EXPECT_EQ(sel("[::1]:22", inet128), kSel);
  EXPECT_EQ(sel("::2", inet128), kSkip);
  EXPECT_EQ(sel("/var/run/log", unix_sock), kSel);
  EXPECT_EQ(sel("/tmp/x", unix_sock), kSkip);
  EXPECT_EQ(sel("8.8.8.8:53", socket32), kSel);  // remote end
  EXPECT_EQ(sel("5555", socket32), kSel);        // local end
  EXPECT_EQ(sel("80", socket_ex), kSel);
  EXPECT_EQ(sel("192.168.1.5", socket_ex), kSel);
  EXPECT_EQ(sel("192.168.1.6", socket_ex), kSkip);
  EXPECT_EQ(sel("80", record(Header::H32, kExecve, 1)), kSkip);  // no socket token
}

TEST(Selector, FileTokenRecordPassesOnlyWithoutCriteriaOrInverted) {
  const auto file = RecordBuilder::file_token(1, 0, "/var/audit/x");
  EXPECT_EQ(judge({}, file), kSel);
  Criteria c;
  c.classes = classes("all");
  EXPECT_EQ(judge(c, file), kSkip);
  c.invert = true;  // like OpenBSM: -v passes what has no header to check
  EXPECT_EQ(judge(c, file), kSel);
}

TEST(Selector, UndecodableTokenIsDamageWithItsOffset) {
  auto r = record(Header::H32, kExecve, 1, [](RecordBuilder& b) { b.text("abc"); });
  r[19] = 0xff;  // the text token's length now runs past the record
  r[20] = 0xff;
  Criteria c;
  c.auid = 0;
  auto s = Selector::compile(c, events());
  EXPECT_EQ(s->judge(r, 1000), Verdict::Damaged);
  EXPECT_EQ(s->error().offset, 1021u);  // where the text would start, after id and length
}

TEST(Selector, HeaderCutShortIsDamage) {
  const std::vector<uint8_t> r = {0x14, 0, 0, 0, 9, 11, 0, 23, 0};
  auto s = Selector::compile({}, events());
  EXPECT_EQ(s->judge(r, 0), Verdict::Damaged);
}

}  // namespace
}  // namespace bullion::select
