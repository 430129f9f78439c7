#include "bullion/trail/records.h"

#include <unistd.h>

#include <string>

#include "bullion/bsm/encoder.h"

namespace bullion::trail {

namespace {

bsm::Subject subject_of(const DaemonIdentity& who) {
  bsm::Subject subject;
  subject.auid = who.uid;
  subject.euid = who.euid;
  subject.egid = who.egid;
  subject.ruid = who.uid;
  subject.rgid = who.gid;
  subject.pid = who.pid;
  subject.sid = who.pid;
  return subject;
}

std::vector<uint8_t> text_record(uint16_t event, std::string_view text, std::string_view path,
                                 const DaemonIdentity& who, Timestamp at) {
  bsm::RecordBuilder builder;
  builder.begin_header32(event, 0, static_cast<uint32_t>(at.seconds), at.msec);
  builder.subject32_ex(subject_of(who));
  builder.text(text);
  if (!path.empty()) builder.path(path);
  builder.return32(0, 0);
  auto bytes = builder.finish();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace

DaemonIdentity current_identity() {
  return DaemonIdentity{static_cast<uint32_t>(::getuid()), static_cast<uint32_t>(::geteuid()),
                        static_cast<uint32_t>(::getgid()), static_cast<uint32_t>(::getegid()),
                        static_cast<uint32_t>(::getpid())};
}

std::vector<uint8_t> file_token(Timestamp at, std::string_view path) {
  return bsm::RecordBuilder::file_token(static_cast<uint32_t>(at.seconds), at.msec, path);
}

std::vector<uint8_t> daemon_record(uint16_t event, std::string_view text, std::string_view path,
                                   const DaemonIdentity& who, Timestamp at) {
  return text_record(event, text, path, who, at);
}

std::vector<uint8_t> loss_record(uint64_t count, std::string_view where, const DaemonIdentity& who, Timestamp at) {
  const std::string text = "lost=" + std::to_string(count) + " where=" + std::string(where);
  bsm::RecordBuilder builder;
  builder.begin_header32(kAueLinuxLost, 0, static_cast<uint32_t>(at.seconds), at.msec);
  bsm::Subject subject = subject_of(who);
  subject.auid = 0xffffffffu;
  builder.subject32_ex(subject);
  builder.text(text);
  builder.return32(0, 0);
  auto bytes = builder.finish();
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace bullion::trail
