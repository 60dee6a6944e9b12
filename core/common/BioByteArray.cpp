#include "BioByteArray.h"

#include <limits>

namespace vf::ossl {

BioPtr memBioFrom(const QByteArray& data)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio)
        return bio;
    if (!data.isEmpty()) {
        // BIO_write copies; an int-sized chunk at a time for very large inputs.
        qsizetype offset = 0;
        while (offset < data.size()) {
            const int chunk = int(std::min<qsizetype>(data.size() - offset, std::numeric_limits<int>::max()));
            if (BIO_write(bio.get(), data.constData() + offset, chunk) != chunk)
                return BioPtr();
            offset += chunk;
        }
    }
    BIO_set_mem_eof_return(bio.get(), 0);
    return bio;
}

BioPtr newMemBio()
{
    return BioPtr(BIO_new(BIO_s_mem()));
}

QByteArray bytesOf(BIO* bio)
{
    if (!bio)
        return {};
    char* ptr = nullptr;
    const long len = BIO_get_mem_data(bio, &ptr);
    if (len <= 0 || !ptr)
        return {};
    return QByteArray(ptr, qsizetype(len));
}

} // namespace vf::ossl
