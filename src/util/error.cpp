#include "bullion/error.h"

#include <fmt/format.h>

namespace bullion {

const char* errc_text(Errc code) {
  switch (code) {
#define X(name, text) \
  case Errc::name:    \
    return text;
    BULLION_ERROR_CODES(X)
#undef X
  }
  return "unknown error";
}

std::string Error::describe() const {
  const std::string why = message.empty() ? errc_text(code) : message;
  return fmt::format("offset {}: {}", offset, why);
}

}  // namespace bullion
