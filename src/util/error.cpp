#include "bullion/error.h"

#include <fmt/format.h>

namespace bullion {

const char* errc_text(Errc code) {
  switch (code) {
#define X(name, text, positional) \
  case Errc::name:                \
    return text;
    BULLION_ERROR_CODES(X)
#undef X
  }
  return "unknown error";
}

bool errc_positional(Errc code) {
  switch (code) {
#define X(name, text, positional) \
  case Errc::name:                \
    return positional;
    BULLION_ERROR_CODES(X)
#undef X
  }
  return false;
}

std::string Error::reason() const { return message.empty() ? errc_text(code) : message; }

std::string Error::describe() const { return fmt::format("offset {}: {}", offset, reason()); }

}  // namespace bullion
