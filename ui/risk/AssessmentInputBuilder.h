#pragma once

#include "security/AssessmentInput.h"
#include "settings/EffectiveSettings.h"

#include <optional>

namespace vf::ui {

struct FileCheckResult;

// Fills security::AssessmentInput from a profile's resolved settings and what the form's file
// fields found on disk, the way libpq's initialize_SSL() looks at the files:
//  - the root file is sslrootcert, else ~/.postgresql/root.crt; it "exists" when stat() succeeds
//    (a directory counts) and is broken when OpenSSL cannot load it (the root field's check says why);
//  - CRL checking is on when sslcrl (else ~/.postgresql/root.crl, unless sslcrldir is set) exists and
//    loads, or sslcrldir is set;
//  - the first host decides between a Unix-domain socket, a host name and hostaddr only.
// Stat calls only: the file contents come from the file fields' off-thread checks.
class AssessmentInputBuilder final
{
public:
    AssessmentInputBuilder() = delete;

    // rootCheck / crlCheck: the latest check of the root / CRL file field, if it looked at the same
    // file libpq will use (ignored otherwise).
    static security::AssessmentInput build(const settings::EffectiveSettings& settings,
                                           const std::optional<FileCheckResult>& rootCheck,
                                           const std::optional<FileCheckResult>& crlCheck);

    // The OpenSSL reason libpq would print after `could not read root certificate file "…": `, or an
    // empty string when the file loads (or was not checked).
    static QString rootFileError(const FileCheckResult& check);
};

} // namespace vf::ui
