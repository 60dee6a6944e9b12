#!/usr/bin/env bash
# Packaging checks run by ctest (tests/packaging/CMakeLists.txt registers one test per command).
#   check.sh stage    BUILD STAGE VERSION SOURCE GUI   cmake --install into STAGE, check the file list
#   check.sh desktop  STAGE                            desktop-file-validate the installed entry
#   check.sh metainfo STAGE VERSION SOURCE             appstreamcli validate the installed metainfo
#   check.sh manpages STAGE VERSION SOURCE             groff -ww the installed manual pages
#   check.sh deb      BUILD VERSION GUI                cpack -G DEB, dpkg-deb -I, dpkg -x, --version
# Every command prints what it checked, the validators' own output included, and exits non-zero on
# the first failure.
set -euo pipefail

id=io.github.verifyfull.VerifyFull

fail()
{
    echo "FAIL: $*" >&2
    exit 1
}

# The list of files an installation must hold (relative to the prefix).
expected_files()
{
    local gui=$1
    echo bin/verifyfull-cli
    echo share/man/man1/verifyfull-cli.1.gz
    echo share/doc/verifyfull/copyright
    if [ "$gui" = 1 ]; then
        echo bin/verifyfull
        echo share/man/man1/verifyfull.1.gz
        echo share/applications/$id.desktop
        echo share/metainfo/$id.metainfo.xml
        echo share/icons/hicolor/scalable/apps/$id.svg
        for size in 48 128 256; do
            echo share/icons/hicolor/${size}x${size}/apps/$id.png
        done
    fi
}

cmd_stage()
{
    local build=$1 stage=$2 version=$3 source=$4 gui=$5
    rm -rf "$stage"
    cmake --install "$build" --prefix "$stage" >/dev/null
    local missing=0
    while read -r f; do
        if [ -f "$stage/$f" ]; then echo "installed: $f"; else echo "MISSING: $f" >&2; missing=1; fi
    done < <(expected_files "$gui")
    [ $missing = 0 ] || fail "cmake --install did not install every file"
    # The app id is written in one more place, the core's Version.h.in (QGuiApplication's desktop
    # file name): both must agree.
    grep -q "kAppId\[\] = \"$id\"" "$source/core/common/Version.h.in" ||
        fail "core/common/Version.h.in: kAppId is not $id"
    [ "$("$stage/bin/verifyfull-cli" --version)" = "verifyfull-cli $version" ] ||
        fail "installed verifyfull-cli --version does not report $version"
}

cmd_desktop()
{
    local stage=$1 file=$1/share/applications/$id.desktop out rc=0
    echo "\$ desktop-file-validate $file"
    out=$(desktop-file-validate "$file" 2>&1) || rc=$?
    [ -n "$out" ] && echo "$out"
    echo "(exit status $rc)"
    if [ $rc != 0 ] || [ -n "$out" ]; then fail "desktop-file-validate reported problems"; fi
    # What the entry names exists in the installation.
    local icon exec
    icon=$(sed -n 's/^Icon=//p' "$file")
    exec=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$file")
    [ "$icon" = "$id" ] || fail "Icon=$icon, expected $id"
    [ -x "$stage/bin/$exec" ] || fail "Exec=$exec is not an installed binary"
    [ -f "$stage/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "no scalable icon $icon"
    echo "desktop entry OK: Exec=$exec Icon=$icon"
}

cmd_metainfo()
{
    local stage=$1 version=$2 source=$3 file=$1/share/metainfo/$id.metainfo.xml out rc=0
    echo "\$ appstreamcli validate --no-net --pedantic $file"
    out=$(appstreamcli validate --no-net --pedantic "$file" 2>&1) || rc=$?
    echo "$out"
    echo "(exit status $rc)"
    [ $rc = 0 ] || fail "appstreamcli validate reported problems"
    # Infos and warnings count too. The one pedantic note allowed is cid-contains-uppercase-letter:
    # the id io.github.verifyfull.VerifyFull is given (issue 5) and already used by the app.
    grep -E '^[EWI]: ' <<<"$out" && fail "appstreamcli validate reported problems"
    grep '^P: ' <<<"$out" | grep -v ' cid-contains-uppercase-letter ' && fail "unexpected pedantic note"
    # The whole installed tree: the metainfo with its desktop entry and icons.
    echo "\$ appstreamcli validate-tree --no-net $stage"
    rc=0
    out=$(appstreamcli validate-tree --no-net "$stage" 2>&1) || rc=$?
    echo "$out"
    echo "(exit status $rc)"
    [ $rc = 0 ] || fail "appstreamcli validate-tree reported problems"

    grep -q "<release version=\"$version\"" "$file" || fail "no <release version=\"$version\">"
    grep -q '<component type="desktop-application">' "$file" || fail "not a desktop-application"
    # Every screenshot is one tools/screenshot renders into docs/screenshots/, at the size given.
    local n=0 line name width height
    while read -r line; do
        name=$(sed -n 's|.*/docs/screenshots/\([^<]*\)</image>.*|\1|p' <<<"$line")
        width=$(sed -n 's/.*width="\([0-9]*\)".*/\1/p' <<<"$line")
        height=$(sed -n 's/.*height="\([0-9]*\)".*/\1/p' <<<"$line")
        [ -n "$name" ] || fail "screenshot outside docs/screenshots: $line"
        [ -f "$source/docs/screenshots/$name" ] || fail "docs/screenshots/$name does not exist"
        file "$source/docs/screenshots/$name" | grep -q "PNG image data, $width x $height," ||
            fail "docs/screenshots/$name is not ${width}x$height"
        n=$((n + 1))
    done < <(grep '<image' "$file")
    [ $n -gt 0 ] || fail "no screenshots"
    echo "metainfo OK: release $version, $n screenshots found in docs/screenshots"
}

cmd_manpages()
{
    local stage=$1 version=$2 source=$3 page text out
    for page in "$stage"/share/man/man1/*.1.gz; do
        echo "\$ groff -man -ww -z $page"
        text=$(zcat "$page")
        out=$(groff -man -ww -z <<<"$text" 2>&1) || fail "groff failed on $page"
        [ -z "$out" ] || fail "groff warnings for $page: $out"
        grep -q "^\.TH .*\"VerifyFull $version\"" <<<"$text" ||
            fail "$page: the .TH line does not name VerifyFull $version"
    done
    # The manual page documents every option of `verifyfull-cli --help` (app/cli/UsageText.h).
    local option
    text=$(zcat "$stage/share/man/man1/verifyfull-cli.1.gz")
    while read -r option; do
        grep -qE -- "${option//-/\\\\-}([^a-z-]|\$)" <<<"$text" ||
            fail "verifyfull-cli.1 does not document $option"
    done < <(grep -o -- '--[a-z][a-z-]*' "$source/app/cli/UsageText.h" | sort -u)
    echo "manual pages OK"
}

cmd_deb()
{
    local build=$1 version=$2 gui=$3 out
    tmp=$(mktemp -d) # global: the EXIT trap removes it
    trap 'rm -rf "$tmp"' EXIT
    echo "\$ cpack -G DEB -B <tmp>"
    cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
        { cat "$tmp/cpack.log"; fail "cpack failed"; }
    local debs=("$tmp"/out/*.deb)
    if [ ${#debs[@]} != 1 ] || [ ! -f "${debs[0]}" ]; then fail "cpack made no single .deb: ${debs[*]}"; fi
    local deb=${debs[0]}
    echo "\$ dpkg-deb -I $(basename "$deb")"
    dpkg-deb -I "$deb"

    local field value
    [ "$(dpkg-deb -f "$deb" Package)" = verifyfull ] || fail "Package is not verifyfull"
    [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
    [ "$(dpkg-deb -f "$deb" Section)" = database ] || fail "Section is not database"
    for field in Maintainer Description; do
        [ -n "$(dpkg-deb -f "$deb" $field)" ] || fail "no $field"
    done
    dpkg-deb -f "$deb" Description | awk 'length > 80 { bad = 1 } END { exit bad }' ||
        fail "Description has lines longer than 80 characters"
    # Depends computed by dpkg-shlibdeps from the binaries.
    local depends
    depends=$(dpkg-deb -f "$deb" Depends)
    for value in 'libqt6core6 (>=' 'libqt6network6 (>=' 'libssl3 (>=' 'libc6 (>='; do
        grep -qF "$value" <<<"$depends" || fail "Depends lacks $value: $depends"
    done
    if [ "$gui" = 1 ]; then
        for value in 'libqt6widgets6 (>=' qt6-qpa-plugins libqt6svg6; do
            grep -qF "$value" <<<"$depends" || fail "Depends lacks $value: $depends"
        done
    fi

    # The contents: only /usr, the expected files, stripped binaries.
    echo "\$ dpkg-deb -c $(basename "$deb")"
    dpkg-deb -c "$deb" | tee "$tmp/contents" | awk '{print $1, $6}'
    awk '{print $6}' "$tmp/contents" | grep -v '^\./$' | grep -v '^\./usr/' &&
        fail "files outside /usr"
    local f
    while read -r f; do
        grep -q " \./usr/$f\$" "$tmp/contents" || fail "the package lacks /usr/$f"
    done < <(expected_files "$gui")

    # Unpacked into a clean root (no dpkg database, no maintainer scripts), the binaries run.
    dpkg -x "$deb" "$tmp/root"
    local bin
    for bin in "$tmp"/root/usr/bin/*; do
        [[ $(file "$bin") == *", stripped"* ]] || fail "$bin is not stripped"
    done
    echo "\$ <root>/usr/bin/verifyfull-cli --version"
    out=$(env -i PATH=/usr/bin:/bin "$tmp/root/usr/bin/verifyfull-cli" --version)
    echo "$out"
    [ "$out" = "verifyfull-cli $version" ] || fail "expected 'verifyfull-cli $version'"
    if [ "$gui" = 1 ]; then
        echo "\$ QT_QPA_PLATFORM=offscreen <root>/usr/bin/verifyfull --version"
        out=$(env -i PATH=/usr/bin:/bin HOME="$tmp" XDG_RUNTIME_DIR="$tmp" QT_QPA_PLATFORM=offscreen \
            "$tmp/root/usr/bin/verifyfull" --version)
        echo "$out"
        [ "$out" = "VerifyFull $version" ] || fail "expected 'VerifyFull $version'"
    fi
    echo "package OK: $(basename "$deb")"
}

command=${1:?usage: check.sh stage|desktop|metainfo|manpages|deb ARGS...}
shift
case $command in
    stage | desktop | metainfo | manpages | deb) "cmd_$command" "$@" ;;
    *) fail "unknown command $command" ;;
esac
