<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>vf::interop::PastedText</name>
    <message numerus="yes">
        <location filename="../core/interop/PastedText.cpp" line="+41"/>
        <source>the pasted text is too long (%n characters)</source>
        <translation>
            <numerusform>the pasted text is too long (%n character)</numerusform>
            <numerusform>the pasted text is too long (%n characters)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::interop::PgAdminImport</name>
    <message numerus="yes">
        <location filename="../core/interop/PgAdminImport.cpp" line="+341"/>
        <source>the file lists %n servers</source>
        <translation>
            <numerusform>the file lists %n server</numerusform>
            <numerusform>the file lists %n servers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>At most %n servers are imported from one file.</source>
        <translation>
            <numerusform>At most %n server is imported from one file.</numerusform>
            <numerusform>At most %n servers are imported from one file.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::interop::ServiceFileImport</name>
    <message numerus="yes">
        <location filename="../core/interop/ServiceFileImport.cpp" line="+87"/>
        <source>the service file has %n sections</source>
        <translation>
            <numerusform>the service file has %n section</numerusform>
            <numerusform>the service file has %n sections</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Only the first %n sections are listed.</source>
        <translation>
            <numerusform>Only the first section is listed.</numerusform>
            <numerusform>Only the first %n sections are listed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::pki::ChainVerifier</name>
    <message numerus="yes">
        <location filename="../core/pki/ChainVerifier.cpp" line="+684"/>
        <source>Warning: &quot;%1&quot; expires in %n day(s) (%2).</source>
        <translation>
            <numerusform>Warning: &quot;%1&quot; expires in %n day (%2).</numerusform>
            <numerusform>Warning: &quot;%1&quot; expires in %n days (%2).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::report::Diagnosis</name>
    <message numerus="yes">
        <location filename="../core/report/Diagnosis.cpp" line="+282"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>The server sent %n certificate(s): %1</source>
        <translation>
            <numerusform>The server sent %n certificate: %1</numerusform>
            <numerusform>The server sent %n certificates: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+269"/>
        <source>%1 %2 expired on %3 (%n day(s) ago).</source>
        <translation>
            <numerusform>%1 %2 expired on %3 (%n day ago).</numerusform>
            <numerusform>%1 %2 expired on %3 (%n days ago).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+116"/>
        <source>%1 %2 expires on %3 (in %n day(s)).</source>
        <translation>
            <numerusform>%1 %2 expires on %3 (in %n day).</numerusform>
            <numerusform>%1 %2 expires on %3 (in %n days).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::report::ReportText</name>
    <message numerus="yes">
        <location filename="../core/report/ReportText.cpp" line="+77"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n day left</numerusform>
            <numerusform>%n days left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>expired %n day(s) ago</source>
        <translation>
            <numerusform>expired %n day ago</numerusform>
            <numerusform>expired %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+177"/>
        <source>Certificates (%n, leaf first):</source>
        <translation>
            <numerusform>Certificate (%n):</numerusform>
            <numerusform>Certificates (%n, leaf first):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateAssessment</name>
    <message numerus="yes">
        <location filename="../ui/chain/CertificateAssessment.cpp" line="+358"/>
        <source>in %Ln day(s)</source>
        <translation>
            <numerusform>in %Ln day</numerusform>
            <numerusform>in %Ln days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%Ln day(s) ago</source>
        <translation>
            <numerusform>%Ln day ago</numerusform>
            <numerusform>%Ln days ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::ui::ChainBrowser</name>
    <message numerus="yes">
        <location filename="../ui/chain/ChainBrowser.cpp" line="+359"/>
        <source>%Ln certificate(s) so far…</source>
        <translation>
            <numerusform>%Ln certificate so far…</numerusform>
            <numerusform>%Ln certificates so far…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%Ln certificate(s)</source>
        <translation>
            <numerusform>%Ln certificate</numerusform>
            <numerusform>%Ln certificates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>%Ln certificate(s), not checked against your trusted roots.</source>
        <translation>
            <numerusform>%Ln certificate, not checked against your trusted roots.</numerusform>
            <numerusform>%Ln certificates, not checked against your trusted roots.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::ui::ExportDialog</name>
    <message numerus="yes">
        <location filename="../ui/interop/ExportDialog.cpp" line="+298"/>
        <source>Created %1 (mode 0600) with %n line(s).</source>
        <translation>
            <numerusform>Created %1 (mode 0600) with %n line.</numerusform>
            <numerusform>Created %1 (mode 0600) with %n lines.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Added %n line(s) to %1.</source>
        <translation>
            <numerusform>Added %n line to %1.</numerusform>
            <numerusform>Added %n lines to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::ui::FileField</name>
    <message numerus="yes">
        <location filename="../ui/widgets/FileField.cpp" line="+359"/>
        <source>Directory with %n CRL(s) that libpq will find</source>
        <translation>
            <numerusform>Directory with %n CRL that libpq will find</numerusform>
            <numerusform>Directory with %n CRLs that libpq will find</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>PKCS#12 bundle (binary): %n certificate(s)</source>
        <translation>
            <numerusform>PKCS#12 bundle (binary): %n certificate</numerusform>
            <numerusform>PKCS#12 bundle (binary): %n certificates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>PKCS#12 bundle (binary): %n certificate(s) and a %1 private key</source>
        <extracomment>%1 is the key type, e.g. RSA or EC.</extracomment>
        <translation>
            <numerusform>PKCS#12 bundle (binary): %n certificate and a %1 private key</numerusform>
            <numerusform>PKCS#12 bundle (binary): %n certificates and a %1 private key</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%1: %n certificate(s) and a private key</source>
        <extracomment>%1 is what the file is: &quot;PEM text&quot;, &quot;Binary (DER)&quot; or &quot;PKCS#7 bundle, …&quot;.</extracomment>
        <translation>
            <numerusform>%1: %n certificate and a private key</numerusform>
            <numerusform>%1: %n certificates and a private key</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1: %n certificate(s)</source>
        <translation>
            <numerusform>%1: %n certificate</numerusform>
            <numerusform>%1: %n certificates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%1: %n CRL(s)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;.</extracomment>
        <translation>
            <numerusform>%1: %n CRL</numerusform>
            <numerusform>%1: %n CRLs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Expired on %1 (%n day(s) ago)</source>
        <translation>
            <numerusform>Expired on %1 (%n day ago)</numerusform>
            <numerusform>Expired on %1 (%n days ago)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Expires on %1, in %n day(s)</source>
        <translation>
            <numerusform>Expires on %1, in %n day</numerusform>
            <numerusform>Expires on %1, in %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n other certificate(s) in this file have expired</source>
        <translation>
            <numerusform>%n other certificate in this file has expired</numerusform>
            <numerusform>%n other certificates in this file have expired</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n other certificate(s) in this file expire within 30 days</source>
        <translation>
            <numerusform>%n other certificate in this file expires within 30 days</numerusform>
            <numerusform>%n other certificates in this file expire within 30 days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::ui::ImportDialog</name>
    <message numerus="yes">
        <location filename="../ui/interop/ImportDialog.cpp" line="+233"/>
        <source>Recognised a %1 with %n setting(s).</source>
        <translation>
            <numerusform>Recognised a %1 with %n setting.</numerusform>
            <numerusform>Recognised a %1 with %n settings.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+53"/>
        <source>%n section(s)</source>
        <translation>
            <numerusform>%n section</numerusform>
            <numerusform>%n sections</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+130"/>
        <source>%n server(s) in the file.</source>
        <translation>
            <numerusform>%n server in the file.</numerusform>
            <numerusform>%n servers in the file.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n cannot be imported (select one to see why).</source>
        <translation>
            <numerusform>%n cannot be imported (select it to see why).</numerusform>
            <numerusform>%n cannot be imported (select one to see why).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+114"/>
        <source>&amp;Import %n Profile(s)</source>
        <translation>
            <numerusform>&amp;Import %n Profile</numerusform>
            <numerusform>&amp;Import %n Profiles</numerusform>
        </translation>
    </message>
</context>
</TS>
