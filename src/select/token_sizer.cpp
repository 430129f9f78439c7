#include "select/token_sizer.h"

namespace bullion::select {
namespace {

using bsm::Wire;

// Bytes a field occupies when that does not depend on the data; -1 otherwise.
int fixed_size(Wire w) {
  switch (w) {
    case Wire::Nothing:
    case Wire::AddrTypeFixed4: return 0;
    case Wire::U8: return 1;
    case Wire::U16: return 2;
    case Wire::U32:
    case Wire::Bytes4: return 4;
    case Wire::U64: return 8;
    case Wire::Bytes16: return 16;
    default: return -1;
  }
}

}  // namespace

TokenSizer::TokenSizer() {
  for (const bsm::TokenInfo& info : bsm::all_tokens()) {
    if (info.flags & bsm::TF_UNKNOWN) continue;
    Plan p;
    p.simple = true;
    size_t at = 1;
    const auto fields = info.fields;
    for (size_t i = 0; i < fields.size() && p.simple; ++i) {
      const Wire w = fields[i].wire;
      if (w == Wire::Len16 && !p.length_at && i + 1 < fields.size() && fields[i + 1].wire == Wire::Counted &&
          at < 256) {
        p.length_at = static_cast<uint8_t>(at);
        at += 2;
        ++i;  // the counted bytes are added per token
        continue;
      }
      const int size = fixed_size(w);
      if (size < 0) p.simple = false;
      at += static_cast<size_t>(size < 0 ? 0 : size);
    }
    p.fixed = static_cast<uint16_t>(at);
    plans_[info.id] = p;
  }
}

}  // namespace bullion::select
