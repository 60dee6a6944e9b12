#pragma once

namespace vf::ossl {

// Frees OpenSSL's state of the calling thread (error queue, random generators: OPENSSL_thread_stop()).
// Call it at the end of any worker thread or pool job that used OpenSSL: QThread::wait() returns before
// the thread-local destructors run, so without this a process ending right after joining such a
// thread leaves that state behind (LeakSanitizer reports it). Harmless when the thread uses OpenSSL
// again later: the state is created anew.
void releaseThreadState();

} // namespace vf::ossl
