#include "select/token_sizer.h"

namespace bullion::select {
namespace {

using bsm::Wire;

// Bytes a field occupies when that does not depend on the data; -1 otherwise.
int fixed_size(Wire w) {
  switch (w) {
    case Wire::Nothing:
    case Wire::AddrTypeFixed4:
      return 0;
    case Wire::U8:
      return 1;
    case Wire::U16:
      return 2;
    case Wire::U32:
    case Wire::Bytes4:
      return 4;
    case Wire::U64:
      return 8;
    case Wire::Bytes16:
      return 16;
    default:
      return -1;
  }
}

bool fits(size_t at) { return at < 250; }

}  // namespace

TokenSizer::TokenSizer() {
  for (const bsm::TokenInfo& info : bsm::all_tokens()) {
    if (info.flags & bsm::TF_UNKNOWN) continue;
    Plan p;
    p.offsets.fill(-1);
    p.simple = true;
    size_t at = 1;
    bool offsets_known = true;
    const auto fields = info.fields;
    for (size_t i = 0; i < fields.size() && p.simple; ++i) {
      if (offsets_known && fits(at)) p.offsets[i] = static_cast<int16_t>(at);
      const Wire w = fields[i].wire;
      const bool next_is = i + 1 < fields.size();
      if (w == Wire::Len16 && !p.length_at && next_is && fields[i + 1].wire == Wire::Counted && fits(at)) {
        p.length_at = static_cast<uint8_t>(at);
        at += 2;
        ++i;  // the counted bytes are added per token
        offsets_known = false;
        continue;
      }
      if ((w == Wire::AddrType32 || w == Wire::AddrType16) && !p.type_at && next_is &&
          fields[i + 1].wire == Wire::AddrByType && fits(at)) {
        p.type_at = static_cast<uint8_t>(at);
        p.type_size = w == Wire::AddrType32 ? 4 : 2;
        at += p.type_size;
        ++i;  // the address bytes are added per token
        offsets_known = false;
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
