# cmake -DIN=<page.1> -DOUT=<page.1.gz> -DVERSION=<x.y.z> -P ManPage.cmake
# Writes the manual page with project(VERSION) on its .TH line ("VerifyFull x.y.z"), gzip-compressed
# as Debian installs manual pages. The page in docs/ stays readable as it is (man -l docs/x.1).
foreach(var IN ITEMS IN OUT VERSION)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "ManPage.cmake: -D${var}=... is required")
    endif()
endforeach()

file(READ "${IN}" page)
string(REGEX MATCH "\n\\.TH [^\n]*\"VerifyFull [^\"]*\"" th "\n${page}")
if(NOT th)
    message(FATAL_ERROR "${IN}: no .TH line with \"VerifyFull <version>\" to stamp")
endif()
string(REGEX REPLACE "(\n\\.TH [^\n]*)\"VerifyFull [^\"]*\"" "\\1\"VerifyFull ${VERSION}\"" page "\n${page}")
string(SUBSTRING "${page}" 1 -1 page)

get_filename_component(name "${IN}" NAME)
get_filename_component(dir "${OUT}" DIRECTORY)
set(plain "${dir}/${name}")
file(WRITE "${plain}" "${page}")
# gzip -n: no file name or time stamp in the header, so the output depends on the page only.
execute_process(COMMAND gzip -9 -n -c "${plain}" OUTPUT_FILE "${OUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${plain} failed: ${rc}")
endif()
