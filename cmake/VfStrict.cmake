# vf_strict: the one INTERFACE target that carries the project's strictness to every target.
add_library(vf_strict INTERFACE)
target_compile_definitions(vf_strict INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_NO_KEYWORDS
    OPENSSL_API_COMPAT=30000
)
target_compile_options(vf_strict INTERFACE
    -Wall -Wextra -Wpedantic -Wold-style-cast -Wnon-virtual-dtor -Wshadow=local)
if(VF_WERROR)
    target_compile_options(vf_strict INTERFACE -Werror)
endif()
if(VF_SANITIZE)
    target_compile_options(vf_strict INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(vf_strict INTERFACE -fsanitize=address,undefined)
endif()
