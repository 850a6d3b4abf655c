// Names of the owner classes (see owner.hpp), as reports print them.
#include "model/owner.hpp"

namespace fragreplay::model {

const char* owner_class_name(OwnerClass c) {
  switch (c) {
    case OwnerClass::kPool:
      return "pool";
    case OwnerClass::kNonCached:
      return "noncached";
    case OwnerClass::kContiguous:
      return "contiguous";
    case OwnerClass::kCommonBuffer:
      return "common_buffer";
    case OwnerClass::kBackground:
      return "background";
    case OwnerClass::kPoolFree:
      return "pool_free";
    case OwnerClass::kPages:
      return "pages";
    case OwnerClass::kMdlPages:
      return "mdl_pages";
    case OwnerClass::kCount:
      break;
  }
  return "?";
}

}  // namespace fragreplay::model
