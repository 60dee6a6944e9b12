#include "Error.h"

namespace vf {

QString Error::toString() const
{
    if (explanation.isEmpty())
        return message;
    return message + u": " + explanation;
}

} // namespace vf
