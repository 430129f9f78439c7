// Errors are values with a place: a code, the byte offset where decoding
// stopped, the token id involved (0 when none) and a short reason.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace bullion {

// X(name, text, positional): positional codes describe a place in an input
// (a byte offset means something); the others are about the input as a whole.
#define BULLION_ERROR_CODES(X)                                           \
  X(Truncated, "record or token ends before its declared size", true)    \
  X(BadRecordSize, "record size field is impossible", true)              \
  X(NotARecord, "bytes do not start a header or file token", true)       \
  X(TokenOverrun, "token runs past the end of its record", true)         \
  X(BadField, "token field has a value the format does not allow", true) \
  X(UnknownToken, "token id is not a BSM token", true)                   \
  X(Io, "input/output error", true)                                      \
  X(Parse, "text could not be parsed", false)                            \
  X(InvalidArgument, "invalid argument", false)                          \
  X(NotFound, "not found", false)                                        \
  X(Permission, "permission denied", false)                              \
  X(Unsupported, "not supported here", false)                            \
  X(TooLong, "a line or record is longer than the reader's limit", true) \
  X(CannotOpen, "input could not be opened", false)                      \
  X(Lossy, "part of the input could not be delivered (counted in the message)", false)

enum class Errc : uint8_t {
#define X(name, text, positional) name,
  BULLION_ERROR_CODES(X)
#undef X
};

const char* errc_text(Errc code);
// Whether errors with this code name a byte offset in an input.
bool errc_positional(Errc code);

struct Error {
  Errc code = Errc::Io;
  uint64_t offset = 0;   // byte offset in the input (file/stream) where it went wrong
  uint8_t token_id = 0;  // BSM token id involved, 0 if none
  std::string message;   // human detail; may be empty (then errc_text is used)
  std::string source;    // the input it concerns (a path, "stdin", "live"), when known

  std::string describe() const;  // "offset N: <why>"
  std::string reason() const;    // <why> alone
};

// A minimal expected-like result (std::expected is C++23; we build as C++20).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace bullion
