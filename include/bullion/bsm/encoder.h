// Building BSM records. The bytes of each token come from the same token
// table that drives the decoder (src/bsm/tokens.def), so a record built here
// decodes to exactly the fields that were put in.
//
//   RecordBuilder b;
//   b.begin_header32_ex(AUE_EXECVE, 0, sec, msec, host_v4);
//   b.path("/bin/ls");
//   b.exec_args({"ls", "-l"});
//   b.subject32_ex(subject);
//   b.return32(0, 0);
//   std::span<const uint8_t> record = b.finish();  // trailer appended, sizes set
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/token.h"

namespace bullion::bsm {

class RecordBuilder {
 public:
  // Header variants. `host` is 4 or 16 bytes (type taken from its size).
  void begin_header32(uint16_t event, uint16_t modifier, uint32_t sec, uint32_t msec);
  void begin_header32_ex(uint16_t event, uint16_t modifier, uint32_t sec, uint32_t msec, std::span<const uint8_t> host);
  void begin_header64(uint16_t event, uint16_t modifier, uint64_t sec, uint64_t msec);

  // Generic, table-driven: one value per wire field of the token, in table
  // order (see tokens.def). Numbers go in `number`, byte strings in `bytes`,
  // string lists in `strings`. Length/count fields are computed, pass {}.
  void add(TokenKind kind, std::initializer_list<FieldInput> fields);

  // Convenience wrappers over add() for the tokens producers use most.
  void path(std::string_view p);
  void text(std::string_view t);
  void zonename(std::string_view z);
  void arg32(uint8_t number, uint32_t value, std::string_view description);
  void arg64(uint8_t number, uint64_t value, std::string_view description);
  void attr32(uint32_t mode, uint32_t uid, uint32_t gid, uint32_t fsid, uint64_t inode, uint32_t device);
  void attr64(uint32_t mode, uint32_t uid, uint32_t gid, uint32_t fsid, uint64_t inode, uint64_t device);
  void exec_args(std::span<const std::string_view> args);
  void exec_env(std::span<const std::string_view> env);
  void subject32(const Subject& s);     // addr_type must be 4
  void subject32_ex(const Subject& s);  // addr_type 4 or 16
  void process32_ex(const Subject& s);
  void return32(uint8_t bsm_errno, uint32_t value);
  void return64(uint8_t bsm_errno, uint64_t value);
  void exit_token(uint32_t status, uint32_t value);
  void sockinet32(uint16_t family, uint16_t port, std::span<const uint8_t, 4> addr);
  void sockinet128(uint16_t family, uint16_t port, std::span<const uint8_t, 16> addr);
  void sockunix(uint16_t family, std::string_view path);
  void seq(uint32_t n);

  // Appends the trailer, patches the header's size field; the span stays
  // valid until the next begin_*.
  std::span<const uint8_t> finish();

  // A stand-alone file token (trail start/end marker).
  static std::vector<uint8_t> file_token(uint32_t sec, uint32_t msec, std::string_view name);

 private:
  std::vector<uint8_t> buf_;
};

}  // namespace bullion::bsm
