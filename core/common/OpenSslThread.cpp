#include "OpenSslThread.h"

#include <openssl/crypto.h>

namespace vf::ossl {

void releaseThreadState()
{
    OPENSSL_thread_stop();
}

} // namespace vf::ossl
