<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ChainBrowser</name>
    <message>
        <location filename="../ui/chain/ChainBrowser.ui" line="+23"/>
        <location line="+137"/>
        <source>Certificates</source>
        <translation>Zertifikate</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Search name, issuer, serial, SAN, fingerprint</source>
        <translation>Name, Aussteller, Seriennummer, SAN, Fingerabdruck suchen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search certificates</source>
        <translation>Zertifikate durchsuchen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Open File…</source>
        <translation>Datei ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a certificate file: PEM, DER, PKCS#7 (.p7b) or PKCS#12 (.p12). You can also drop a file here.</source>
        <translation>Zertifikatsdatei öffnen: PEM, DER, PKCS#7 (.p7b) oder PKCS#12 (.p12). Sie können eine Datei auch hierher ziehen.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>&amp;Password of this file:</source>
        <translation>Pass&amp;wort dieser Datei:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Open a certificate file, drop one here, or run a test to see the chain a server presents.</source>
        <translation>Öffnen Sie eine Zertifikatsdatei, ziehen Sie eine hierher oder führen Sie einen Test aus, um die Kette zu sehen, die ein Server vorlegt.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Status of the selected certificate</source>
        <translation>Status des ausgewählten Zertifikats</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Details</source>
        <translation>De&amp;tails</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Certificate fields</source>
        <translation>Zertifikatsfelder</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>PE&amp;M</source>
        <translation>&amp;PEM</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Expor&amp;t PEM…</source>
        <translation>PEM e&amp;xportieren…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export DE&amp;R…</source>
        <translation>DE&amp;R exportieren…</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Certificate in PEM form</source>
        <translation>Zertifikat im PEM-Format</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Copy PEM</source>
        <translation>PEM &amp;kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the selected certificate in PEM form to the clipboard</source>
        <translation>Das ausgewählte Zertifikat im PEM-Format in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save the selected certificate as a PEM file (what libpq reads)</source>
        <translation>Das ausgewählte Zertifikat als PEM-Datei speichern (das Format, das libpq liest)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save the selected certificate as a binary DER file</source>
        <translation>Das ausgewählte Zertifikat als binäre DER-Datei speichern</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export &amp;All…</source>
        <translation>A&amp;lle exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save every certificate shown here into one PEM file, in this order</source>
        <translation>Alle hier angezeigten Zertifikate in dieser Reihenfolge in einer PEM-Datei speichern</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../ui/interop/ExportDialog.ui" line="+14"/>
        <source>Export Connection</source>
        <translation>Verbindung exportieren</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>What to write the connection as</source>
        <translation>In welcher Form die Verbindung geschrieben wird</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export format</source>
        <translation>Exportformat</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service &amp;name:</source>
        <translation>Service&amp;name:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The section name: connect with service=NAME or PGSERVICE=NAME</source>
        <translation>Der Abschnittsname: Verbindung mit service=NAME oder PGSERVICE=NAME</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service name</source>
        <translation>Servicename</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Include &amp;secrets (the password and the key password) in plain text</source>
        <translation>&amp;Geheimnisse (Passwort und Schlüsselpasswort) im Klartext einschließen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Secrets are left out unless you tick this</source>
        <translation>Geheimnisse werden weggelassen, sofern Sie dies nicht ankreuzen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Warning about secrets</source>
        <translation>Warnung zu Geheimnissen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The exported text: select and copy it, or use Copy and Save</source>
        <translation>Der exportierte Text: Markieren und kopieren Sie ihn, oder verwenden Sie „Kopieren“ und „Speichern“</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported text</source>
        <translation>Exportierter Text</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Why this format cannot be written</source>
        <translation>Warum dieses Format nicht geschrieben werden kann</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Where the target behaves differently from libpq, and what to check</source>
        <translation>Wo sich das Ziel anders verhält als libpq und was zu prüfen ist</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Notes on this format</source>
        <translation>Hinweise zu diesem Format</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the text to the clipboard</source>
        <translation>Den Text in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sa&amp;ve…</source>
        <translation>&amp;Speichern…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the text to a file (readable only by you when it holds a secret)</source>
        <translation>Den Text in einer Datei speichern (nur für Sie lesbar, wenn er ein Geheimnis enthält)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Add to Password File</source>
        <translation>Zur Passwortdatei &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Append the line to your password file, created readable only by you (0600)</source>
        <translation>Die Zeile an Ihre Passwortdatei anhängen; diese wird bei Bedarf nur für Sie lesbar angelegt (0600)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Convert &amp;Key to PKCS#8…</source>
        <translation>Schlüssel in PKCS#8 konver&amp;tieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write the client key as PKCS#8 DER (.pk8), the form pgJDBC reads</source>
        <translation>Den Clientschlüssel als PKCS#8-DER (.pk8) schreiben, das Format, das pgJDBC liest</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Result of the last action</source>
        <translation>Ergebnis der letzten Aktion</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../ui/interop/ImportDialog.ui" line="+14"/>
        <source>Import Connections</source>
        <translation>Verbindungen importieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Where to import from</source>
        <translation>Importquelle</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Paste</source>
        <translation>&amp;Einfügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import a libpq connection string or URI you paste</source>
        <translation>Eine eingefügte libpq-Verbindungszeichenfolge oder URI importieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Paste a libpq connection string (host=… dbname=…) or a URI (postgresql://…); the form is recognised as you type.</source>
        <translation>Fügen Sie eine libpq-Verbindungszeichenfolge (host=… dbname=…) oder eine URI (postgresql://…) ein; das Format wird während der Eingabe erkannt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A keyword/value string such as host=db.example.com dbname=app sslmode=verify-full, or a URI such as postgresql://alice@db.example.com/app?sslmode=verify-full</source>
        <translation>Eine Schlüsselwort/Wert-Zeichenfolge wie host=db.example.com dbname=app sslmode=verify-full oder eine URI wie postgresql://alice@db.example.com/app?sslmode=verify-full</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connection string or URI</source>
        <translation>Verbindungszeichenfolge oder URI</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>What was recognised</source>
        <translation>Was erkannt wurde</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Profile &amp;name:</source>
        <translation>Profil&amp;name:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The name of the new profile; suggested from the database and host</source>
        <translation>Der Name des neuen Profils; vorgeschlagen aus Datenbank und Host</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profile name</source>
        <translation>Profilname</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The settings the text gives, as libpq reads them</source>
        <translation>Die Einstellungen aus dem Text, so wie libpq sie liest</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings found</source>
        <translation>Gefundene Einstellungen</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+75"/>
        <location line="+224"/>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <location line="-294"/>
        <location line="+75"/>
        <location line="+224"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="-290"/>
        <source>&amp;Service Files</source>
        <translation>&amp;Servicedateien</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import sections of pg_service.conf files</source>
        <translation>Abschnitte aus pg_service.conf-Dateien importieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection service files libpq reads: yours (PGSERVICEFILE or ~/.pg_service.conf) and the system&apos;s. Tick the sections to import; each is read exactly as libpq reads it.</source>
        <translation>Die Servicedateien, die libpq liest: Ihre eigene (PGSERVICEFILE oder ~/.pg_service.conf) und die des Systems. Kreuzen Sie die zu importierenden Abschnitte an; jeder wird genau so gelesen, wie libpq ihn liest.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service files and their sections; tick the sections to import</source>
        <translation>Servicedateien und ihre Abschnitte; kreuzen Sie die zu importierenden Abschnitte an</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service files and sections</source>
        <translation>Servicedateien und Abschnitte</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+169"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>The settings of the selected section, with their line in the file</source>
        <translation>Die Einstellungen des ausgewählten Abschnitts, mit ihrer Zeile in der Datei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings of the selected section</source>
        <translation>Einstellungen des ausgewählten Abschnitts</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+224"/>
        <source>From</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <location line="-204"/>
        <source>&amp;Refer to the service instead of copying its settings</source>
        <translation>Auf den Service &amp;verweisen, statt seine Einstellungen zu kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The profile holds only service=NAME; libpq reads the settings from the service file each time, so later edits to the file apply</source>
        <translation>Das Profil enthält nur service=NAME; libpq liest die Einstellungen jedes Mal aus der Servicedatei, sodass spätere Änderungen an der Datei wirksam werden</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Re&amp;load</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read the service files again</source>
        <translation>Die Servicedateien erneut lesen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>pg&amp;Admin 4</source>
        <translation>pg&amp;Admin 4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import servers from a pgAdmin 4 export (servers.json)</source>
        <translation>Server aus einem pgAdmin-4-Export (servers.json) importieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A JSON file exported from pgAdmin 4 (Tools → Import/Export Servers, or setup.py dump-servers), with its SSL settings. pgAdmin never exports passwords.</source>
        <translation>Eine aus pgAdmin 4 exportierte JSON-Datei (Tools → Import/Export Servers oder setup.py dump-servers) mit ihren SSL-Einstellungen. pgAdmin exportiert nie Passwörter.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The pgAdmin export file; press Enter to read it</source>
        <translation>Die pgAdmin-Exportdatei; drücken Sie die Eingabetaste, um sie zu lesen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin export file</source>
        <translation>pgAdmin-Exportdatei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>servers.json</source>
        <translation>servers.json</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Choose File…</source>
        <translation>Datei &amp;wählen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the JSON file pgAdmin exported</source>
        <translation>Die von pgAdmin exportierte JSON-Datei auswählen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>pgAdmin file status</source>
        <translation>Status der pgAdmin-Datei</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The servers in the file; tick the ones to import</source>
        <translation>Die Server in der Datei; kreuzen Sie die zu importierenden an</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin servers</source>
        <translation>pgAdmin-Server</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Select A&amp;ll</source>
        <translation>A&amp;lle auswählen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tick every server that can be imported</source>
        <translation>Alle importierbaren Server ankreuzen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select &amp;None</source>
        <translation>&amp;Keine auswählen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Untick every server</source>
        <translation>Bei allen Servern das Häkchen entfernen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Environment</source>
        <translation>&amp;Umgebung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A profile from the PG* variables and ~/.postgresql/ files of this session</source>
        <translation>Ein Profil aus den PG*-Variablen und den ~/.postgresql/-Dateien dieser Sitzung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What libpq would take from this session without a connection string: the PG* environment variables and the files in ~/.postgresql/ that exist. Only values that are set are imported.</source>
        <translation>Was libpq in dieser Sitzung ohne Verbindungszeichenfolge verwenden würde: die PG*-Umgebungsvariablen und die vorhandenen Dateien in ~/.postgresql/. Nur gesetzte Werte werden importiert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The settings found, and where each comes from</source>
        <translation>Die gefundenen Einstellungen und woher jede stammt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings from the environment</source>
        <translation>Einstellungen aus der Umgebung</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/main/MainWindow.ui" line="+8"/>
        <source>VerifyFull</source>
        <translation>VerifyFull</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&lt;h2&gt;No profile selected&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Kein Profil ausgewählt&lt;/h2&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A profile holds the settings of one PostgreSQL connection. New profiles start at sslmode=verify-full: encrypted, and the server&apos;s certificate and host name are checked.</source>
        <translation>Ein Profil enthält die Einstellungen einer PostgreSQL-Verbindung. Neue Profile beginnen mit sslmode=verify-full: verschlüsselt, und das Zertifikat sowie der Hostname des Servers werden geprüft.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New Profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a connection profile (Ctrl+N)</source>
        <translation>Verbindungsprofil anlegen (Strg+N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open Certificate File…</source>
        <translation>Zertifikatsdatei öffnen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look at a certificate, bundle or key file (Ctrl+O)</source>
        <translation>Zertifikat, Bundle oder Schlüsseldatei ansehen (Strg+O)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Certificates</source>
        <translation>Zertifikate</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Open Certificate File…</source>
        <translation>Zertifikatsdatei ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a certificate, bundle, CRL or key file in the certificate browser</source>
        <translation>Zertifikat, Bundle, CRL oder Schlüsseldatei im Zertifikatsbrowser öffnen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Connections</source>
        <translation>&amp;Verbindungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;ertificates</source>
        <translation>&amp;Zertifikate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Protection of This Profile</source>
        <translation>&amp;Schutz dieses Profils</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Profile &amp;List</source>
        <translation>Profil&amp;liste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;What Each sslmode Protects Against</source>
        <translation>&amp;Wovor jeder sslmode schützt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About VerifyFull</source>
        <translation>Ü&amp;ber VerifyFull</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <location filename="../ui/profiles/ProfileEditor.ui" line="+34"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+7"/>
        <source>The profile name shown in the list</source>
        <translation>Der in der Liste angezeigte Profilname</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profile name</source>
        <translation>Profilname</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>How well this profile&apos;s sslmode protects the connection; see the Protection tab</source>
        <translation>Wie gut der sslmode dieses Profils die Verbindung schützt; siehe Registerkarte „Schutz“</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Test Connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect with these settings and show every step (Ctrl+T)</source>
        <translation>Mit diesen Einstellungen verbinden und jeden Schritt anzeigen (Strg+T)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&amp;Connection</source>
        <translation>&amp;Verbindung</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+24"/>
        <source>host: the server&apos;s name as written in its certificate (or an IP address, or a Unix-socket directory). Several hosts: separate them with commas.</source>
        <translation>host: der Name des Servers, wie er in seinem Zertifikat steht (oder eine IP-Adresse oder ein Unix-Socket-Verzeichnis). Mehrere Hosts durch Kommas trennen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Host names</source>
        <translation>Hostnamen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>db.example.com</source>
        <translation>db.example.com</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>port: the server&apos;s TCP port (libpq&apos;s default is 5432). With several hosts, one port per host, separated by commas.</source>
        <translation>port: der TCP-Port des Servers (Standard von libpq: 5432). Bei mehreren Hosts ein Port pro Host, durch Kommas getrennt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;Database:</source>
        <translation>Da&amp;tenbank:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>dbname: the database to connect to (libpq&apos;s default is the user name).</source>
        <translation>dbname: die Datenbank, mit der verbunden wird (Standard von libpq: der Benutzername).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database name</source>
        <translation>Datenbankname</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;User:</source>
        <translation>Ben&amp;utzer:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>user: the PostgreSQL role to connect as (libpq&apos;s default is your operating-system user name).</source>
        <translation>user: die PostgreSQL-Rolle, als die verbunden wird (Standard von libpq: Ihr Benutzername im Betriebssystem).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+29"/>
        <source>password: kept until VerifyFull closes, or in the system keychain if you choose to. It is never written to the profile file.</source>
        <translation>password: wird aufbewahrt, bis VerifyFull beendet wird, oder auf Wunsch im Schlüsselbund des Systems. Es wird nie in die Profildatei geschrieben.</translation>
    </message>
    <message>
        <location line="-270"/>
        <source>Ho&amp;st(s):</source>
        <translation>H&amp;ost(s):</translation>
    </message>
    <message>
        <location line="+279"/>
        <location line="+492"/>
        <source>Asked when needed</source>
        <translation>Wird bei Bedarf abgefragt</translation>
    </message>
    <message>
        <location line="-482"/>
        <source>Remember in &amp;keychain</source>
        <translation>&amp;Im Schlüsselbund merken</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Connect t&amp;imeout (seconds):</source>
        <translation>Verbindungs-Timeout (&amp;Sekunden):</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>connect_timeout: how long to wait for each host, in seconds (0 or empty: wait indefinitely).</source>
        <translation>connect_timeout: wie lange pro Host gewartet wird, in Sekunden (0 oder leer: unbegrenzt warten).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect timeout in seconds</source>
        <translation>Verbindungs-Timeout in Sekunden</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+24"/>
        <source>application_name: the name the server shows for this connection in pg_stat_activity.</source>
        <translation>application_name: der Name, den der Server für diese Verbindung in pg_stat_activity anzeigt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Application name</source>
        <translation>Anwendungsname</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>SS&amp;L</source>
        <translation>SS&amp;L</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>SSL &amp;mode:</source>
        <translation>SSL-Mod&amp;us:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode: whether and how strictly TLS is used</source>
        <translation>sslmode: ob und wie streng TLS verwendet wird</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>sslmode: whether the connection is encrypted and how the server is checked</source>
        <translation>sslmode: ob die Verbindung verschlüsselt wird und wie der Server geprüft wird</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SSL mode</source>
        <translation>SSL-Modus</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Checking the server</source>
        <translation>Prüfung des Servers</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Root certificate:</source>
        <translation>Sta&amp;mmzertifikat:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslrootcert: the certificate(s) of the CA that signed the server&apos;s certificate</source>
        <translation>sslrootcert: das Zertifikat bzw. die Zertifikate der CA, die das Serverzertifikat signiert hat</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Use the &amp;system&apos;s trusted roots (sslrootcert=system)</source>
        <translation>Vertrauenswürdige Stammzertifikate des S&amp;ystems verwenden (sslrootcert=system)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trust the certificate authorities of the operating system, for servers with a certificate from a public CA (cloud services). libpq then requires verify-full.</source>
        <translation>Den Zertifizierungsstellen des Betriebssystems vertrauen – für Server mit einem Zertifikat einer öffentlichen CA (Cloud-Dienste). libpq verlangt dann verify-full.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslrootcert: a PEM file with your CA&apos;s root certificate</source>
        <translation>sslrootcert: eine PEM-Datei mit dem Stammzertifikat Ihrer CA</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Root certificate file</source>
        <translation>Stammzertifikatsdatei</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>CRL &amp;file:</source>
        <translation>CRL-Da&amp;tei:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslcrl: revoked server certificates</source>
        <translation>sslcrl: gesperrte Serverzertifikate</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslcrl: a PEM file with certificate revocation lists of your CA</source>
        <translation>sslcrl: eine PEM-Datei mit Zertifikatssperrlisten (CRLs) Ihrer CA</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CRL file</source>
        <translation>CRL-Datei</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>CRL director&amp;y:</source>
        <translation>CRL-Ve&amp;rzeichnis:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslcrldir: a directory of CRLs named by issuer hash</source>
        <translation>sslcrldir: ein Verzeichnis mit CRLs, benannt nach Aussteller-Hash</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslcrldir: a directory of CRL files named by issuer hash (as &quot;openssl rehash&quot; creates)</source>
        <translation>sslcrldir: ein Verzeichnis mit CRL-Dateien, benannt nach Aussteller-Hash (wie von „openssl rehash“ erzeugt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CRL directory</source>
        <translation>CRL-Verzeichnis</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your client certificate (when the server asks for one)</source>
        <translation>Ihr Clientzertifikat (wenn der Server eines anfordert)</translation>
    </message>
    <message>
        <location line="-298"/>
        <source>Applica&amp;tion name:</source>
        <translation>Anwendungsna&amp;me:</translation>
    </message>
    <message>
        <location line="+310"/>
        <source>Clien&amp;t certificate:</source>
        <translation>Clientzerti&amp;fikat:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslcert: your certificate, when the server asks for one</source>
        <translation>sslcert: Ihr Zertifikat, wenn der Server eines anfordert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslcert: a PEM file with your client certificate (and its chain)</source>
        <translation>sslcert: eine PEM-Datei mit Ihrem Clientzertifikat (und seiner Kette)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client certificate file</source>
        <translation>Clientzertifikatsdatei</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Client &amp;key:</source>
        <translation>Cl&amp;ientschlüssel:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslkey: the private key of your client certificate</source>
        <translation>sslkey: der private Schlüssel Ihres Clientzertifikats</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslkey: the private key of the client certificate (PEM or DER; mode 0600)</source>
        <translation>sslkey: der private Schlüssel des Clientzertifikats (PEM oder DER; Modus 0600)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client key file</source>
        <translation>Clientschlüsseldatei</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Key pass&amp;word:</source>
        <translation>Schlüssel&amp;passwort:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslpassword: the password of an encrypted client key</source>
        <translation>sslpassword: das Passwort eines verschlüsselten Clientschlüssels</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>sslpassword: the password of an encrypted client key. Kept until VerifyFull closes, or in the system keychain if you choose to; never written to the profile file.</source>
        <translation>sslpassword: das Passwort eines verschlüsselten Clientschlüssels. Wird aufbewahrt, bis VerifyFull beendet wird, oder auf Wunsch im Schlüsselbund des Systems; nie in die Profildatei geschrieben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Key password</source>
        <translation>Schlüsselpasswort</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Remember in ke&amp;ychain</source>
        <translation>Im Sc&amp;hlüsselbund merken</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>TLS options</source>
        <translation>TLS-Optionen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>SN&amp;I:</source>
        <translation>&amp;SNI:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>sslsni: send the host name in the TLS handshake (Server Name Indication), which proxies and cloud services need</source>
        <translation>sslsni: den Hostnamen im TLS-Handshake senden (Server Name Indication), was Proxys und Cloud-Dienste benötigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server Name Indication</source>
        <translation>Server Name Indication</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Minim&amp;um TLS version:</source>
        <translation>Minimale TLS-Versi&amp;on:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>ssl_min_protocol_version: the oldest TLS version allowed (libpq&apos;s default is TLSv1.2)</source>
        <translation>ssl_min_protocol_version: die älteste zulässige TLS-Version (Standard von libpq: TLSv1.2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Minimum TLS version</source>
        <translation>Minimale TLS-Version</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Ma&amp;ximum TLS version:</source>
        <translation>Ma&amp;ximale TLS-Version:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>ssl_max_protocol_version: the newest TLS version allowed (default: no limit)</source>
        <translation>ssl_max_protocol_version: die neueste zulässige TLS-Version (Standard: keine Begrenzung)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Maximum TLS version</source>
        <translation>Maximale TLS-Version</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>SSL ne&amp;gotiation:</source>
        <translation>SSL-Aushandlun&amp;g:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>sslnegotiation: how TLS is started (PostgreSQL 17+ servers also accept direct TLS)</source>
        <translation>sslnegotiation: wie TLS gestartet wird (Server ab PostgreSQL 17 akzeptieren auch direktes TLS)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SSL negotiation</source>
        <translation>SSL-Aushandlung</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Client certificate mo&amp;de:</source>
        <translation>Clientzertifi&amp;katsmodus:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>sslcertmode: whether a client certificate is sent (PostgreSQL 16+)</source>
        <translation>sslcertmode: ob ein Clientzertifikat gesendet wird (ab PostgreSQL 16)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client certificate mode</source>
        <translation>Clientzertifikatsmodus</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Channel &amp;binding:</source>
        <translation>Channel &amp;Binding:</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+24"/>
        <source>channel_binding: ties SCRAM authentication to the TLS session so a man in the middle cannot relay it</source>
        <translation>channel_binding: bindet die SCRAM-Authentifizierung an die TLS-Sitzung, sodass ein Man-in-the-Middle sie nicht weiterreichen kann</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Channel binding</source>
        <translation>Channel Binding</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&amp;Advanced</source>
        <translation>&amp;Erweitert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Every other libpq parameter. Leave a value empty to use what libpq would use otherwise (shown on the right).</source>
        <translation>Alle übrigen libpq-Parameter. Lassen Sie einen Wert leer, um zu verwenden, was libpq sonst verwenden würde (rechts angezeigt).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connection st&amp;ring:</source>
        <translation>Ve&amp;rbindungszeichenfolge:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The whole profile as a libpq connection string (passwords left out)</source>
        <translation>Das gesamte Profil als libpq-Verbindungszeichenfolge (ohne Passwörter)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The profile as a libpq keyword/value string or postgresql:// URI. Paste one and press Apply to replace the settings.</source>
        <translation>Das Profil als libpq-Zeichenfolge aus Schlüsselwort/Wert-Paaren oder als postgresql://-URI. Fügen Sie eine ein und klicken Sie auf „Anwenden“, um die Einstellungen zu ersetzen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connection string</source>
        <translation>Verbindungszeichenfolge</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Appl&amp;y</source>
        <translation>An&amp;wenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace the profile&apos;s settings with this connection string</source>
        <translation>Die Einstellungen des Profils durch diese Verbindungszeichenfolge ersetzen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Co&amp;py</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the connection string (without passwords) to the clipboard</source>
        <translation>Die Verbindungszeichenfolge (ohne Passwörter) in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Other libpq parameters</source>
        <translation>Weitere libpq-Parameter</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Pr&amp;otection</source>
        <translation>Schut&amp;z</translation>
    </message>
</context>
<context>
    <name>ProfileListWidget</name>
    <message>
        <location filename="../ui/profiles/ProfileListWidget.ui" line="+15"/>
        <source>&lt;b&gt;Connection profiles&lt;/b&gt;</source>
        <translation>&lt;b&gt;Verbindungsprofile&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Filter (Ctrl+F)</source>
        <translation>Filtern (Strg+F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter profiles</source>
        <translation>Profile filtern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show only the profiles whose name, host, database, user or sslmode contains this text</source>
        <translation>Nur die Profile anzeigen, deren Name, Host, Datenbank, Benutzer oder sslmode diesen Text enthält</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connection profiles</source>
        <translation>Verbindungsprofile</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bring the deleted profile back (Ctrl+Z)</source>
        <translation>Das gelöschte Profil wiederherstellen (Strg+Z)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide this message</source>
        <translation>Diese Meldung ausblenden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New profile, starting at sslmode=verify-full (Ctrl+N)</source>
        <translation>Neues Profil, beginnend mit sslmode=verify-full (Strg+N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the selected profile (Ctrl+D)</source>
        <translation>Das ausgewählte Profil kopieren (Strg+D)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected profile; you can undo it (Delete)</source>
        <translation>Das ausgewählte Profil löschen; kann rückgängig gemacht werden (Entf)</translation>
    </message>
</context>
<context>
    <name>RiskTable</name>
    <message>
        <location filename="../ui/risk/RiskTable.ui" line="+22"/>
        <source>What each sslmode protects against, from libpq&apos;s documentation. The highlighted row is how this profile behaves with the files on this computer.</source>
        <translation>Wovor jeder sslmode schützt, laut der Dokumentation von libpq. Die hervorgehobene Zeile zeigt, wie sich dieses Profil mit den Dateien auf diesem Computer verhält.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode protection table</source>
        <translation>sslmode-Schutztabelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq&apos;s table: what each sslmode protects against</source>
        <translation>Tabelle von libpq: wovor jeder sslmode schützt</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This profile</source>
        <translation>Dieses Profil</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>&lt;b&gt;To reach verify-full&lt;/b&gt;</source>
        <translation>&lt;b&gt;So erreichen Sie verify-full&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>TestPanel</name>
    <message>
        <location filename="../ui/test/TestPanel.ui" line="+31"/>
        <source>&amp;Test</source>
        <translation>&amp;Testen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect to the server with these settings, as libpq would, and explain the result</source>
        <translation>Mit diesen Einstellungen so wie libpq zum Server verbinden und das Ergebnis erklären</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop the test now (Esc)</source>
        <translation>Test sofort beenden (Esc)</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>SHA-256 fingerprint</source>
        <translation>SHA-256-Fingerabdruck</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Not Now</source>
        <translation>Nicht jetzt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trust and &amp;Retest</source>
        <translation>Vertrauen und e&amp;rneut testen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save this certificate as the profile&apos;s root certificate file, switch to verify-full and test again</source>
        <translation>Dieses Zertifikat als Stammzertifikatsdatei des Profils speichern, auf verify-full umstellen und erneut testen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Test result</source>
        <translation>Testergebnis</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Trust This Server&apos;s C&amp;A…</source>
        <translation>&amp;CA dieses Servers vertrauen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Compare the fingerprint of the certificate at the top of the server&apos;s chain, then use it as the root certificate</source>
        <translation>Den Fingerabdruck des obersten Zertifikats der Serverkette vergleichen und es dann als Stammzertifikat verwenden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Show Server C&amp;hain</source>
        <translation>Server&amp;kette anzeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the certificates the server presented in the chain browser</source>
        <translation>Die vom Server vorgelegten Zertifikate im Zertifikatsbrowser öffnen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Co&amp;py Report</source>
        <translation>Bericht ko&amp;pieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the result as text (no passwords are included)</source>
        <translation>Das Ergebnis als Text kopieren (ohne Passwörter)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="+28"/>
        <source>PostgreSQL TLS connection tester</source>
        <translation>Tester für PostgreSQL-TLS-Verbindungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificate file to open.</source>
        <translation>Zu öffnende Zertifikatsdatei.</translation>
    </message>
</context>
<context>
    <name>vf::auth::ScramClient</name>
    <message>
        <location filename="../core/auth/ScramClient.cpp" line="+52"/>
        <source>The server&apos;s SCRAM authentication messages are not what the protocol requires; this is a server or proxy fault, or someone is interfering.</source>
        <translation>Die SCRAM-Authentifizierungsnachrichten des Servers entsprechen nicht dem Protokoll; das ist ein Fehler des Servers oder eines Proxys, oder jemand greift ein.</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>SCRAM iteration count %1 is above the limit of %2</source>
        <translation>Die SCRAM-Iterationszahl %1 liegt über der Grenze von %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server asks for an unreasonable amount of password hashing; libpq would compute it for minutes. Check the server&apos;s scram_iterations.</source>
        <translation>Der Server verlangt unverhältnismäßig viel Passwort-Hashing; libpq würde minutenlang rechnen. Prüfen Sie scram_iterations auf dem Server.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The server rejected the SCRAM exchange.</source>
        <translation>Der Server hat den SCRAM-Austausch abgelehnt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server could not prove it knows your password&apos;s verifier: it is not the server you think, or something between you is interfering.</source>
        <translation>Der Server konnte nicht nachweisen, dass er den Verifier Ihres Passworts kennt: Es ist nicht der Server, den Sie meinen, oder etwas zwischen Ihnen greift ein.</translation>
    </message>
</context>
<context>
    <name>vf::cli</name>
    <message>
        <location filename="../app/cli/main.cpp" line="+95"/>
        <source>Try &quot;verifyfull-cli --help&quot; for more information.</source>
        <translation>Weitere Informationen mit „verifyfull-cli --help“.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>%1 takes one connection string; quote it (&quot;host=… sslmode=…&quot;)</source>
        <translation>%1 erwartet genau eine Verbindungszeichenfolge; setzen Sie sie in Anführungszeichen (&quot;host=… sslmode=…&quot;)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>invalid --timeout value &quot;%1&quot;: give a number of seconds</source>
        <translation>ungültiger Wert für --timeout „%1“: geben Sie eine Anzahl Sekunden an</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>interrupted: the check was canceled</source>
        <translation>unterbrochen: Die Prüfung wurde abgebrochen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>the private key &quot;%1&quot; is encrypted and standard input is not a terminal to ask for its passphrase: set sslpassword.</source>
        <translation>der private Schlüssel „%1“ ist verschlüsselt, und die Standardeingabe ist kein Terminal, um nach der Passphrase zu fragen: setzen Sie sslpassword.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Diagnosis:</source>
        <translation>Diagnose:</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>chain needs at least one certificate file</source>
        <translation>chain benötigt mindestens eine Zertifikatsdatei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>give either --root FILE or --system, not both</source>
        <translation>geben Sie entweder --root DATEI oder --system an, nicht beides</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>missing command (check, inspect or chain)</source>
        <translation>Befehl fehlt (check, inspect oder chain)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>unknown command &quot;%1&quot; (use check, inspect or chain)</source>
        <translation>unbekannter Befehl „%1“ (verwenden Sie check, inspect oder chain)</translation>
    </message>
    <message>
        <location filename="../app/cli/UsageText.h" line="+11"/>
        <source>verifyfull-cli - test PostgreSQL connections over TLS the way libpq makes them

Usage: verifyfull-cli check [--json] [--timeout SECONDS] [CONNINFO]
  or:  verifyfull-cli inspect [--json] [--timeout SECONDS] [CONNINFO]
  or:  verifyfull-cli chain FILE... [--root FILE | --system] [--crl FILE] [--crldir DIR]
                             [--host NAME] [--json]
  or:  verifyfull-cli --version | --help

Connects to a PostgreSQL server exactly as libpq (psql) would, with the same parameters, defaults,
environment variables and files, shows every phase with its timing, the TLS facts and the
certificate chain the server presented, and when something fails says why in libpq&apos;s words, what
it means and what to change.

Commands:
  check      Connect, negotiate TLS, authenticate and run a short query. Prints the report on
             standard output; on failure libpq&apos;s message (as psql prints it after &quot;psql: error: &quot;)
             and the diagnosis go to standard error.
  inspect    Negotiate TLS only and show the server&apos;s certificate chain and TLS facts; never
             authenticates (no password is sent).
  chain      Load certificates from FILEs (PEM, DER, PKCS#7 or an unencrypted PKCS#12; the leaf is
             the certificate that issued none of the others) and verify them as libpq verifies a
             server&apos;s chain.

CONNINFO is a libpq connection string (&quot;host=db.example.com sslmode=verify-full&quot;) or URI
(&quot;postgresql://user@db.example.com/app?sslmode=verify-full&quot;). Everything libpq reads is honoured:
the PG* environment variables (PGHOST, PGSSLMODE, PGSSLROOTCERT...), the service file
(PGSERVICE, ~/.pg_service.conf), ~/.postgresql/root.crt, root.crl, postgresql.crt,
postgresql.key and the password file (~/.pgpass, PGPASSFILE).

Options:
  --json             Print the whole report as one JSON object on standard output
                     (schema: docs/REPORT-JSON.md). Passwords are never included.
  --timeout SECONDS  Give up on any phase (DNS, connect, TLS handshake, authentication...) that
                     takes longer (default 30). libpq&apos;s connect_timeout, when set, still applies.
  --root FILE        chain: verify against the root certificates in FILE (sslrootcert=FILE).
                     Without --root or --system, libpq&apos;s default ~/.postgresql/root.crt is used
                     if it exists; otherwise the certificates are only shown.
  --system           chain: verify against the system&apos;s trusted roots (sslrootcert=system).
  --crl FILE         chain: check revocation with the CRLs in FILE (sslcrl).
  --crldir DIR       chain: check revocation with a hashed CRL directory (sslcrldir).
  --host NAME        chain: also check that the leaf certificate names NAME, as
                     sslmode=verify-full does.
  -h, --help         Show this help and exit.
  -v, --version      Show the version and exit.

Encrypted client keys:
  When sslpassword is not set and the client key is encrypted, the passphrase is read from the
  terminal without echo. When standard input is not a terminal, the key cannot be unlocked: set
  sslpassword (for example in a service file).

Exit status:
  0  check: connected and authenticated; inspect: TLS handshake succeeded;
     chain: verified (or only shown, without root certificates)
  1  the attempt failed (chain: the chain or the host name did not verify)
  2  invalid usage or input: unknown option, unparsable connection string, invalid option value
     such as sslmode=bogus, unknown service, unreadable certificate file
  130  interrupted: Ctrl-C (or SIGTERM) canceled the check cleanly; a second Ctrl-C quits at once

Examples:
  verifyfull-cli check &quot;host=db.example.com dbname=app user=alice sslmode=verify-full&quot;
  PGSSLMODE=verify-full verifyfull-cli check --json postgresql://alice@db.example.com/app
  verifyfull-cli inspect &quot;host=db.example.com sslmode=require&quot;
  verifyfull-cli chain server.crt intermediate.crt --root root.crt --host db.example.com
</source>
        <translation>verifyfull-cli - PostgreSQL-Verbindungen über TLS so testen, wie libpq sie herstellt

Aufruf: verifyfull-cli check [--json] [--timeout SEKUNDEN] [CONNINFO]
  oder: verifyfull-cli inspect [--json] [--timeout SEKUNDEN] [CONNINFO]
  oder: verifyfull-cli chain DATEI... [--root DATEI | --system] [--crl DATEI] [--crldir VERZ]
                             [--host NAME] [--json]
  oder: verifyfull-cli --version | --help

Verbindet sich mit einem PostgreSQL-Server genau so, wie libpq (psql) es täte, mit denselben Parametern,
Standardwerten, Umgebungsvariablen und Dateien, zeigt jede Phase mit ihrer Dauer, die TLS-Eckdaten und
die vom Server vorgelegte Zertifikatskette und nennt bei einem Fehler den Grund in den Worten von libpq,
erklärt, was er bedeutet, und sagt, was zu ändern ist.

Befehle:
  check      Verbinden, TLS aushandeln, authentifizieren und eine kurze Abfrage ausführen. Gibt den
             Bericht auf der Standardausgabe aus; bei einem Fehler gehen die Meldung von libpq (so, wie psql
             sie nach &quot;psql: error: &quot; ausgibt) und die Diagnose auf die Standardfehlerausgabe.
  inspect    Nur TLS aushandeln und die Zertifikatskette und die TLS-Eckdaten des Servers anzeigen;
             authentifiziert nie (es wird kein Passwort gesendet).
  chain      Zertifikate aus DATEIen laden (PEM, DER, PKCS#7 oder ein unverschlüsseltes PKCS#12; das
             Endzertifikat ist dasjenige, das keines der anderen ausgestellt hat) und sie so verifizieren,
             wie libpq die Kette eines Servers verifiziert.

CONNINFO ist eine libpq-Verbindungszeichenfolge (&quot;host=db.example.com sslmode=verify-full&quot;) oder URI
(&quot;postgresql://user@db.example.com/app?sslmode=verify-full&quot;). Alles, was libpq liest, wird beachtet:
die PG*-Umgebungsvariablen (PGHOST, PGSSLMODE, PGSSLROOTCERT...), die Servicedatei
(PGSERVICE, ~/.pg_service.conf), ~/.postgresql/root.crt, root.crl, postgresql.crt,
postgresql.key und die Passwortdatei (~/.pgpass, PGPASSFILE).

Optionen:
  --json              Den gesamten Bericht als ein JSON-Objekt auf der Standardausgabe ausgeben
                      (Schema: docs/REPORT-JSON.md). Passwörter sind nie enthalten.
  --timeout SEKUNDEN  Jede Phase (DNS, Verbindungsaufbau, TLS-Handshake, Authentifizierung...) abbrechen,
                      die länger dauert (Standard: 30). Ein gesetztes connect_timeout von libpq gilt weiterhin.
  --root DATEI        chain: gegen die Stammzertifikate in DATEI verifizieren (sslrootcert=DATEI).
                      Ohne --root oder --system wird die Standarddatei ~/.postgresql/root.crt von libpq
                      verwendet, falls sie existiert; andernfalls werden die Zertifikate nur angezeigt.
  --system            chain: gegen die vertrauenswürdigen Stammzertifikate des Systems verifizieren (sslrootcert=system).
  --crl DATEI         chain: Sperrungen mit den CRLs in DATEI prüfen (sslcrl).
  --crldir VERZ       chain: Sperrungen mit einem gehashten CRL-Verzeichnis prüfen (sslcrldir).
  --host NAME         chain: außerdem prüfen, ob das Endzertifikat NAME nennt, so wie
                      sslmode=verify-full es tut.
  -h, --help          Diese Hilfe anzeigen und beenden.
  -v, --version       Die Version anzeigen und beenden.

Verschlüsselte Clientschlüssel:
  Wenn sslpassword nicht gesetzt und der Clientschlüssel verschlüsselt ist, wird die Passphrase ohne
  Echo vom Terminal gelesen. Ist die Standardeingabe kein Terminal, kann der Schlüssel nicht entsperrt
  werden: Setzen Sie sslpassword (zum Beispiel in einer Servicedatei).

Exit-Status:
  0  check: verbunden und authentifiziert; inspect: TLS-Handshake erfolgreich;
     chain: verifiziert (oder ohne Stammzertifikate nur angezeigt)
  1  der Versuch ist fehlgeschlagen (chain: die Kette oder der Hostname ließ sich nicht verifizieren)
  2  ungültiger Aufruf oder ungültige Eingabe: unbekannte Option, nicht auswertbare Verbindungszeichenfolge,
     ungültiger Optionswert wie sslmode=bogus, unbekannter Service, unlesbare Zertifikatsdatei
  130  unterbrochen: Strg+C (oder SIGTERM) hat die Prüfung sauber abgebrochen; ein zweites Strg+C beendet sofort

Beispiele:
  verifyfull-cli check &quot;host=db.example.com dbname=app user=alice sslmode=verify-full&quot;
  PGSSLMODE=verify-full verifyfull-cli check --json postgresql://alice@db.example.com/app
  verifyfull-cli inspect &quot;host=db.example.com sslmode=require&quot;
  verifyfull-cli chain server.crt intermediate.crt --root root.crt --host db.example.com
</translation>
    </message>
</context>
<context>
    <name>vf::interop::EnvironmentImport</name>
    <message>
        <location filename="../core/interop/EnvironmentImport.cpp" line="+25"/>
        <source>the current environment</source>
        <translation>die aktuelle Umgebung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>libpq would fail with this environment: %1</source>
        <translation>libpq würde mit dieser Umgebung scheitern: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+42"/>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>%1 is set: libpq also sends it to the server as a session setting; a profile does not carry it (use options=-c … instead).</source>
        <translation>%1 ist gesetzt: libpq sendet die Variable auch als Sitzungseinstellung an den Server; ein Profil übernimmt sie nicht (verwenden Sie stattdessen options=-c …).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No PG* variable is set and there are no ~/.postgresql/ files: the profile would have libpq&apos;s defaults only.</source>
        <translation>Es ist keine PG*-Variable gesetzt, und es gibt keine Dateien in ~/.postgresql/: Das Profil hätte nur die Standardwerte von libpq.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PGPASSWORD is set: the profile holds that password.</source>
        <translation>PGPASSWORD ist gesetzt: Das Profil enthält dieses Passwort.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Environment: %1</source>
        <translation>Umgebung: %1</translation>
    </message>
</context>
<context>
    <name>vf::interop::Exporter</name>
    <message>
        <location filename="../core/interop/Exporter.cpp" line="+50"/>
        <source>keyword/value string</source>
        <translation>Schlüsselwort/Wert-Zeichenfolge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>URI</source>
        <translation>URI</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pg_service.conf section</source>
        <translation>pg_service.conf-Abschnitt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>.pgpass line</source>
        <translation>.pgpass-Zeile</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>psql command line</source>
        <translation>psql-Befehlszeile</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Python (psycopg)</source>
        <translation>Python (psycopg)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Node.js (node-postgres)</source>
        <translation>Node.js (node-postgres)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>JDBC URL</source>
        <translation>JDBC-URL</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>the password is not included</source>
        <translation>das Passwort ist nicht enthalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A password-file line holds the password. Include secrets to write it.</source>
        <translation>Eine Zeile der Passwortdatei enthält das Passwort. Schließen Sie Geheimnisse ein, um sie zu schreiben.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Not included: %1 (secrets are left out unless you include them).</source>
        <translation>Nicht enthalten: %1 (Geheimnisse werden weggelassen, sofern Sie sie nicht einschließen).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Needs libpq %1 or later for %2; an older libpq refuses unknown keywords (&quot;invalid connection option&quot;) or ignores their environment variables.</source>
        <translation>Benötigt libpq %1 oder neuer für %2; ein älteres libpq lehnt unbekannte Schlüsselwörter ab („invalid connection option“) oder ignoriert ihre Umgebungsvariablen.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Some values are not valid UTF-8 and are shown with replacement characters here.</source>
        <translation>Einige Werte sind kein gültiges UTF-8 und werden hier mit Ersatzzeichen angezeigt.</translation>
    </message>
</context>
<context>
    <name>vf::interop::ImportedProfile</name>
    <message>
        <location filename="../core/interop/ImportedProfile.cpp" line="+41"/>
        <source>service %1</source>
        <translation>Service %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>local socket</source>
        <translation>lokaler Socket</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
</context>
<context>
    <name>vf::interop::InteropFiles</name>
    <message>
        <location filename="../core/interop/InteropFiles.cpp" line="+18"/>
        <source>A service file is small text; the limit is %1 MiB. This is probably not the file you meant.</source>
        <translation>Eine Servicedatei ist eine kleine Textdatei; die Grenze liegt bei %1 MiB. Das ist vermutlich nicht die gemeinte Datei.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A pgAdmin server export is small JSON; the limit is %1 MiB. This is probably not the file you meant.</source>
        <translation>Ein pgAdmin-Serverexport ist eine kleine JSON-Datei; die Grenze liegt bei %1 MiB. Das ist vermutlich nicht die gemeinte Datei.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the service file (pg_service.conf) itself, not its directory.</source>
        <translation>Wählen Sie die Servicedatei (pg_service.conf) selbst aus, nicht ihr Verzeichnis.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the JSON file pgAdmin exported, not its directory.</source>
        <translation>Wählen Sie die von pgAdmin exportierte JSON-Datei aus, nicht ihr Verzeichnis.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only ordinary files are read; a pipe, device or socket was not opened.</source>
        <translation>Es werden nur gewöhnliche Dateien gelesen; eine Pipe, ein Gerät oder ein Socket wurde nicht geöffnet.</translation>
    </message>
</context>
<context>
    <name>vf::interop::JdbcUrlWriter</name>
    <message>
        <location filename="../core/interop/JdbcUrlWriter.cpp" line="+67"/>
        <source>pgJDBC connects over TCP only: the Unix socket %1 is written as localhost.</source>
        <translation>pgJDBC verbindet sich nur über TCP: Der Unix-Socket %1 wird als localhost geschrieben.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>pgJDBC has no hostaddr: the URL uses the addresses where no host name is given, and the host names otherwise.</source>
        <translation>pgJDBC kennt kein hostaddr: Die URL verwendet die Adressen, wo kein Hostname angegeben ist, und sonst die Hostnamen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>pgJDBC 42.3 and later read pg_service.conf themselves (PGSERVICEFILE, ~/.pg_service.conf, then PGSYSCONFDIR); older versions ignore service.</source>
        <translation>pgJDBC ab 42.3 liest pg_service.conf selbst (PGSERVICEFILE, ~/.pg_service.conf, dann PGSYSCONFDIR); ältere Versionen ignorieren service.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sslrootcert=system: pgJDBC has no such value; the URL uses DefaultJavaSSLFactory, which trusts Java&apos;s own CA store.</source>
        <translation>sslrootcert=system: pgJDBC kennt diesen Wert nicht; die URL verwendet DefaultJavaSSLFactory, die dem eigenen CA-Speicher von Java vertraut.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>pgJDBC reads the client key only as PKCS#8 DER (.pk8) or PKCS#12: the URL names %1. Convert %2 into it first (the PKCS#8 button does it, or: openssl pkcs8 -topk8 -outform DER -in KEY -out KEY.pk8 -nocrypt), and keep it at mode 0600.</source>
        <translation>pgJDBC liest den Clientschlüssel nur als PKCS#8-DER (.pk8) oder PKCS#12: Die URL nennt %1. Konvertieren Sie %2 zuerst in dieses Format (mit der Schaltfläche für PKCS#8 oder mit: openssl pkcs8 -topk8 -outform DER -in KEY -out KEY.pk8 -nocrypt), und belassen Sie die Datei im Modus 0600.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No sslkey: pgJDBC looks for ~/.postgresql/postgresql.pk8 (not postgresql.key).</source>
        <translation>Kein sslkey: pgJDBC sucht nach ~/.postgresql/postgresql.pk8 (nicht postgresql.key).</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>target_session_attrs=%1 is written as targetServerType=%2, which checks whether the server is in recovery, not default_transaction_read_only.</source>
        <translation>target_session_attrs=%1 wird als targetServerType=%2 geschrieben; das prüft, ob sich der Server im Recovery-Modus befindet, nicht default_transaction_read_only.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No sslrootcert: pgJDBC, like libpq, reads ~/.postgresql/root.crt.</source>
        <translation>Kein sslrootcert: pgJDBC liest wie libpq ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Not in the URL (pgJDBC has no such setting, or names it differently by version): %1.</source>
        <translation>Nicht in der URL (pgJDBC kennt diese Einstellung nicht oder benennt sie je nach Version anders): %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No password in the URL: pgJDBC 42.3 and later read ~/.pgpass (or PGPASSFILE); with older versions pass it to DriverManager.getConnection().</source>
        <translation>Kein Passwort in der URL: pgJDBC ab 42.3 liest ~/.pgpass (oder PGPASSFILE); bei älteren Versionen übergeben Sie es an DriverManager.getConnection().</translation>
    </message>
</context>
<context>
    <name>vf::interop::NodePostgresWriter</name>
    <message>
        <location filename="../core/interop/NodePostgresWriter.cpp" line="+58"/>
        <source>node-postgres connects to one host: the snippet uses the first (%1); libpq would try each in turn.</source>
        <translation>node-postgres verbindet sich mit genau einem Host: Der Codeausschnitt verwendet den ersten (%1); libpq würde einen nach dem anderen versuchen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>node-postgres has no hostaddr: it connects to the address %1, and the TLS checks use the name %2 (servername).</source>
        <translation>node-postgres kennt kein hostaddr: Es verbindet sich mit der Adresse %1, und die TLS-Prüfungen verwenden den Namen %2 (servername).</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>channel_binding=require: node-postgres uses SCRAM-SHA-256-PLUS when enableChannelBinding is true, but does not refuse a server that offers no channel binding, as libpq does.</source>
        <translation>channel_binding=require: node-postgres verwendet SCRAM-SHA-256-PLUS, wenn enableChannelBinding true ist, lehnt aber anders als libpq keinen Server ab, der kein Channel Binding anbietet.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>sslmode=allow: libpq tries without TLS first and uses TLS only when the server insists; node-postgres never switches, so this snippet connects without TLS.</source>
        <translation>sslmode=allow: libpq versucht es zuerst ohne TLS und verwendet TLS nur, wenn der Server darauf besteht; node-postgres wechselt nie, daher verbindet sich dieser Codeausschnitt ohne TLS.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sslmode=prefer: node-postgres does not fall back to an unencrypted connection when the server has no TLS; libpq does.</source>
        <translation>sslmode=prefer: node-postgres fällt nicht auf eine unverschlüsselte Verbindung zurück, wenn der Server kein TLS anbietet; libpq schon.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sslmode=%1 with a root certificate file: libpq then checks the certificate chain (as verify-ca), and so does this snippet.</source>
        <translation>sslmode=%1 mit einer Stammzertifikatsdatei: libpq prüft dann die Zertifikatskette (wie verify-ca), und dieser Codeausschnitt ebenso.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sslmode=%1 does not check the server certificate (rejectUnauthorized: false). If ~/.postgresql/root.crt exists libpq checks the chain anyway; node-postgres does not look there.</source>
        <translation>sslmode=%1 prüft das Serverzertifikat nicht (rejectUnauthorized: false). Wenn ~/.postgresql/root.crt existiert, prüft libpq die Kette trotzdem; node-postgres sieht dort nicht nach.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-ca has no direct equivalent in node-postgres: the snippet checks the chain (rejectUnauthorized: true) and skips the host-name check with a checkServerIdentity that accepts every name.</source>
        <translation>verify-ca hat in node-postgres keine direkte Entsprechung: Der Codeausschnitt prüft die Kette (rejectUnauthorized: true) und überspringt die Hostnamensprüfung mit einer checkServerIdentity, die jeden Namen akzeptiert.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslmode=%1 is not a value libpq accepts; the snippet does not check the server.</source>
        <translation>sslmode=%1 ist kein Wert, den libpq akzeptiert; der Codeausschnitt prüft den Server nicht.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>sslrootcert=system: node uses its own list of trusted CAs, not the operating system&apos;s (start node with --use-openssl-ca to use OpenSSL&apos;s).</source>
        <translation>sslrootcert=system: node verwendet seine eigene Liste vertrauenswürdiger CAs, nicht die des Betriebssystems (starten Sie node mit --use-openssl-ca, um die von OpenSSL zu verwenden).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No sslrootcert: libpq reads ~/.postgresql/root.crt, and so does this snippet.</source>
        <translation>Kein sslrootcert: libpq liest ~/.postgresql/root.crt, und dieser Codeausschnitt ebenso.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq sends ~/.postgresql/postgresql.crt and postgresql.key when they exist; node-postgres sends a client certificate only when cert and key are given.</source>
        <translation>libpq sendet ~/.postgresql/postgresql.crt und postgresql.key, wenn sie existieren; node-postgres sendet ein Clientzertifikat nur, wenn cert und key angegeben sind.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>node-postgres does not read pg_service.conf: the service&apos;s settings are not in this snippet. Export the settings themselves instead.</source>
        <translation>node-postgres liest pg_service.conf nicht: Die Einstellungen des Service sind nicht in diesem Codeausschnitt enthalten. Exportieren Sie stattdessen die Einstellungen selbst.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not used by node-postgres, left out: %1.</source>
        <translation>Von node-postgres nicht verwendet, weggelassen: %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Without a password node-postgres reads ~/.pgpass (or PGPASSWORD), like libpq.</source>
        <translation>Ohne Passwort liest node-postgres wie libpq ~/.pgpass (oder PGPASSWORD).</translation>
    </message>
</context>
<context>
    <name>vf::interop::PastedText</name>
    <message>
        <location filename="../core/interop/PastedText.cpp" line="+30"/>
        <source>keyword/value string</source>
        <translation>Schlüsselwort/Wert-Zeichenfolge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>URI</source>
        <translation>URI</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>the pasted text is too long (%n characters)</source>
        <translation>
            <numerusform>der eingefügte Text ist zu lang (%n Zeichen)</numerusform>
            <numerusform>der eingefügte Text ist zu lang (%n Zeichen)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A connection string is a line or two. Paste only the connection string.</source>
        <translation>Eine Verbindungszeichenfolge ist ein bis zwei Zeilen lang. Fügen Sie nur die Verbindungszeichenfolge ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>nothing to import</source>
        <translation>nichts zu importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste a keyword/value string such as host=db.example.com dbname=app, or a URI such as postgresql://alice@db.example.com/app.</source>
        <translation>Fügen Sie eine Schlüsselwort/Wert-Zeichenfolge wie host=db.example.com dbname=app oder eine URI wie postgresql://alice@db.example.com/app ein.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This is a JDBC URL. libpq does not read those: remove the &quot;jdbc:&quot; prefix and check the parameters (JDBC names such as ApplicationName or sslfactory are not libpq keywords).</source>
        <translation>Dies ist eine JDBC-URL. libpq liest solche URLs nicht: Entfernen Sie das Präfix „jdbc:“ und prüfen Sie die Parameter (JDBC-Namen wie ApplicationName oder sslfactory sind keine libpq-Schlüsselwörter).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq recognises a URI only by the lower-case prefix &quot;postgresql://&quot; or &quot;postgres://&quot;. Write the scheme in lower case.</source>
        <translation>libpq erkennt eine URI nur am kleingeschriebenen Präfix „postgresql://“ oder „postgres://“. Schreiben Sie das Schema in Kleinbuchstaben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This looks like a psql command line. Paste only its connection string: the quoted keyword/value string or the URI.</source>
        <translation>Das sieht nach einer psql-Befehlszeile aus. Fügen Sie nur ihre Verbindungszeichenfolge ein: die in Anführungszeichen gesetzte Schlüsselwort/Wert-Zeichenfolge oder die URI.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>pasted URI</source>
        <translation>eingefügte URI</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pasted keyword/value string</source>
        <translation>eingefügte Schlüsselwort/Wert-Zeichenfolge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The pasted text contains a password or another secret.</source>
        <translation>Der eingefügte Text enthält ein Passwort oder ein anderes Geheimnis.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PgAdminImport</name>
    <message>
        <location filename="../core/interop/PgAdminImport.cpp" line="+95"/>
        <location line="+271"/>
        <location line="+1"/>
        <source>pgAdmin server %1</source>
        <translation>pgAdmin-Server %1</translation>
    </message>
    <message>
        <location line="-260"/>
        <source>The server has no name in the file.</source>
        <translation>Der Server hat in der Datei keinen Namen.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&quot;ConnectionParameters&quot; must be an object, not %1</source>
        <translation>„ConnectionParameters“ muss ein Objekt sein, nicht %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ignored &quot;%1&quot; in ConnectionParameters: libpq has no such keyword.</source>
        <translation>„%1“ in ConnectionParameters ignoriert: libpq kennt dieses Schlüsselwort nicht.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 is given twice, at the top level and in ConnectionParameters, with different values; the ConnectionParameters value is used.</source>
        <translation>%1 ist zweimal angegeben, auf oberster Ebene und in ConnectionParameters, mit unterschiedlichen Werten; der Wert aus ConnectionParameters wird verwendet.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No host, address or service is given: libpq connects to the local Unix socket.</source>
        <translation>Es ist weder Host noch Adresse noch Service angegeben: libpq verbindet sich mit dem lokalen Unix-Socket.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file holds a password or another secret for this server.</source>
        <translation>Die Datei enthält ein Passwort oder ein anderes Geheimnis für diesen Server.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>server &quot;%1&quot;: %2</source>
        <translation>Server „%1“: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+194"/>
        <source>This server&apos;s entry does not have the form pgAdmin writes; it was not imported. The other servers are not affected.</source>
        <translation>Der Eintrag dieses Servers hat nicht die Form, die pgAdmin schreibt; er wurde nicht importiert. Die anderen Server sind nicht betroffen.</translation>
    </message>
    <message>
        <location line="-182"/>
        <source>&quot;%1&quot; must be a string, not %2</source>
        <translation>„%1“ muss eine Zeichenfolge sein, nicht %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+30"/>
        <source>&quot;%1&quot; is too long</source>
        <translation>„%1“ ist zu lang</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; contains a NUL character, which no libpq setting can hold</source>
        <translation>„%1“ enthält ein NUL-Zeichen, das keine libpq-Einstellung aufnehmen kann</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&quot;%1&quot; must be a port number, not %2</source>
        <translation>„%1“ muss eine Portnummer sein, nicht %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; must be a string or a number, not %2</source>
        <translation>„%1“ muss eine Zeichenfolge oder eine Zahl sein, nicht %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; cannot be stored</source>
        <translation>„%1“ kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 contains pgAdmin&apos;s %2 placeholder (pgAdmin server mode): replace it with the real directory.</source>
        <translation>%1 enthält den pgAdmin-Platzhalter %2 (pgAdmin-Servermodus): Ersetzen Sie ihn durch das tatsächliche Verzeichnis.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>pgAdmin reaches this server through an SSH tunnel (%1); libpq does not. Open the tunnel yourself (ssh -L) and point host and port at its local end.</source>
        <translation>pgAdmin erreicht diesen Server über einen SSH-Tunnel (%1); libpq nicht. Öffnen Sie den Tunnel selbst (ssh -L) und lassen Sie host und port auf sein lokales Ende zeigen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no tunnel host given</source>
        <translation>kein Tunnel-Host angegeben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin switches to role &quot;%1&quot; after connecting (SET ROLE); libpq has no such setting.</source>
        <translation>pgAdmin wechselt nach dem Verbinden zur Rolle „%1“ (SET ROLE); libpq hat keine solche Einstellung.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pgAdmin uses Kerberos for this server; libpq uses it when the server asks for GSSAPI (see gssencmode and krbsrvname).</source>
        <translation>pgAdmin verwendet für diesen Server Kerberos; libpq verwendet es, wenn der Server GSSAPI anfordert (siehe gssencmode und krbsrvname).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pgAdmin gets the password by running a command; libpq runs no commands. Keep the password in ~/.pgpass or in the keychain.</source>
        <translation>pgAdmin holt das Passwort durch Ausführen eines Befehls; libpq führt keine Befehle aus. Bewahren Sie das Passwort in ~/.pgpass oder im Schlüsselbund auf.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pgAdmin runs SQL after connecting; that is not part of a libpq profile.</source>
        <translation>pgAdmin führt nach dem Verbinden SQL aus; das ist nicht Teil eines libpq-Profils.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the pgAdmin export is too large (%1 bytes)</source>
        <translation>der pgAdmin-Export ist zu groß (%1 Byte)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A pgAdmin server export is small JSON; the limit is %1 MiB.</source>
        <translation>Ein pgAdmin-Serverexport ist eine kleine JSON-Datei; die Grenze liegt bei %1 MiB.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file is empty</source>
        <translation>die Datei ist leer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the servers again from pgAdmin (Tools → Import/Export Servers) and choose the JSON file it writes.</source>
        <translation>Exportieren Sie die Server erneut aus pgAdmin (Tools → Import/Export Servers) und wählen Sie die JSON-Datei, die dabei geschrieben wird.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not valid JSON: %1 at byte %2</source>
        <translation>kein gültiges JSON: %1 bei Byte %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pgAdmin writes its server export as JSON. This file is not JSON, or it was cut off or edited by hand.</source>
        <translation>pgAdmin schreibt seinen Serverexport als JSON. Diese Datei ist kein JSON, oder sie wurde abgeschnitten oder von Hand bearbeitet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A pgAdmin 4 server export is a JSON object with a &quot;Servers&quot; object that maps ids to servers: {&quot;Servers&quot;: {&quot;1&quot;: {&quot;Name&quot;: …, &quot;Host&quot;: …}}}.</source>
        <translation>Ein pgAdmin-4-Serverexport ist ein JSON-Objekt mit einem Objekt „Servers“, das IDs auf Server abbildet: {&quot;Servers&quot;: {&quot;1&quot;: {&quot;Name&quot;: …, &quot;Host&quot;: …}}}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+7"/>
        <source>the file is not a pgAdmin server export (no &quot;Servers&quot; object)</source>
        <translation>die Datei ist kein pgAdmin-Serverexport (kein Objekt „Servers“)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;Servers&quot; must be an object, not %1</source>
        <translation>„Servers“ muss ein Objekt sein, nicht %1</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>the file lists %n servers</source>
        <translation>
            <numerusform>die Datei enthält %n Server</numerusform>
            <numerusform>die Datei enthält %n Server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>At most %n servers are imported from one file.</source>
        <translation>
            <numerusform>Aus einer Datei wird höchstens %n Server importiert.</numerusform>
            <numerusform>Aus einer Datei werden höchstens %n Server importiert.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+27"/>
        <source>server &quot;%1&quot;: must be an object, not %2</source>
        <translation>Server „%1“: muss ein Objekt sein, nicht %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The file lists no servers.</source>
        <translation>Die Datei enthält keine Server.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PgPassWriter</name>
    <message>
        <location filename="../core/interop/PgPassWriter.cpp" line="+86"/>
        <source>libpq uses a password file only when it is a plain file that neither the group nor others can read or write: chmod 0600 ~/.pgpass. Otherwise it prints &quot;WARNING: password file … has group or world access; permissions should be u=rw (0600) or less&quot; and ignores the file.</source>
        <translation>libpq verwendet eine Passwortdatei nur, wenn sie eine gewöhnliche Datei ist, die weder die Gruppe noch andere lesen oder schreiben können: chmod 0600 ~/.pgpass. Andernfalls gibt libpq „WARNING: password file … has group or world access; permissions should be u=rw (0600) or less“ aus und ignoriert die Datei.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>there is no password to write</source>
        <translation>es gibt kein Passwort zum Schreiben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A password-file line holds the password. Enter the profile&apos;s password and include secrets to export it.</source>
        <translation>Eine Zeile der Passwortdatei enthält das Passwort. Geben Sie das Passwort des Profils ein und schließen Sie Geheimnisse ein, um es zu exportieren.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>a password-file line cannot hold a line break</source>
        <translation>eine Zeile der Passwortdatei kann keinen Zeilenumbruch enthalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host, port, database, user name or password contains a line break, which libpq&apos;s password file cannot represent.</source>
        <translation>Host, Port, Datenbank, Benutzername oder Passwort enthält einen Zeilenumbruch, den die Passwortdatei von libpq nicht darstellen kann.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The profile sets no host: the line matches any host (&quot;*&quot;).</source>
        <translation>Das Profil legt keinen Host fest: Die Zeile passt zu jedem Host („*“).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile sets no port: the line matches any port (&quot;*&quot;).</source>
        <translation>Das Profil legt keinen Port fest: Die Zeile passt zu jedem Port („*“).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile sets no database: the line matches any database (&quot;*&quot;).</source>
        <translation>Das Profil legt keine Datenbank fest: Die Zeile passt zu jeder Datenbank („*“).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile sets no user: the line matches any user name (&quot;*&quot;).</source>
        <translation>Das Profil legt keinen Benutzer fest: Die Zeile passt zu jedem Benutzernamen („*“).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq uses the first line that matches, so put specific lines before lines with &quot;*&quot;.</source>
        <translation>libpq verwendet die erste passende Zeile; setzen Sie daher spezifische Zeilen vor Zeilen mit „*“.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>could not write password file &quot;%1&quot;: %2</source>
        <translation>Passwortdatei „%1“ konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the directory exists and that you may write to the file.</source>
        <translation>Prüfen Sie, ob das Verzeichnis existiert und ob Sie in die Datei schreiben dürfen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+17"/>
        <source>&quot;%1&quot; is not a regular file</source>
        <translation>„%1“ ist keine gewöhnliche Datei</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>libpq reads a password file only when it is a plain file.</source>
        <translation>libpq liest eine Passwortdatei nur, wenn sie eine gewöhnliche Datei ist.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>password file &quot;%1&quot; is too large</source>
        <translation>Passwortdatei „%1“ ist zu groß</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file is larger than %1 MiB; it was not changed.</source>
        <translation>Die Datei ist größer als %1 MiB; sie wurde nicht geändert.</translation>
    </message>
</context>
<context>
    <name>vf::interop::Pkcs8Converter</name>
    <message>
        <location filename="../core/interop/Pkcs8Converter.cpp" line="+38"/>
        <source>no private key to convert</source>
        <translation>kein privater Schlüssel zum Konvertieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file holds no private key.</source>
        <translation>Die Datei enthält keinen privaten Schlüssel.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>could not write the key as PKCS#8</source>
        <translation>der Schlüssel konnte nicht als PKCS#8 geschrieben werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL could not encode this key as PKCS#8.</source>
        <translation>OpenSSL konnte diesen Schlüssel nicht als PKCS#8 kodieren.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the converted key would replace its source</source>
        <translation>der konvertierte Schlüssel würde seine Quelldatei ersetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another file name for the PKCS#8 key (for example %1).</source>
        <translation>Wählen Sie einen anderen Dateinamen für den PKCS#8-Schlüssel (zum Beispiel %1).</translation>
    </message>
</context>
<context>
    <name>vf::interop::PrivateFile</name>
    <message>
        <location filename="../core/interop/PrivateFile.cpp" line="+23"/>
        <source>could not write &quot;%1&quot;: %2</source>
        <translation>„%1“ konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the folder exists and that you may write to it.</source>
        <translation>Prüfen Sie, ob der Ordner existiert und ob Sie darin schreiben dürfen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is a directory, not a file</source>
        <translation>„%1“ ist ein Verzeichnis, keine Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file name inside the folder.</source>
        <translation>Wählen Sie einen Dateinamen innerhalb des Ordners.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PsqlCommandWriter</name>
    <message>
        <location filename="../core/interop/PsqlCommandWriter.cpp" line="+34"/>
        <source>The password is in PGPASSWORD: it stays in your shell history and is visible to programs that can read this process&apos;s environment. A ~/.pgpass line is safer.</source>
        <translation>Das Passwort steht in PGPASSWORD: Es bleibt in Ihrem Shell-Verlauf und ist für Programme sichtbar, die die Umgebung dieses Prozesses lesen können. Eine Zeile in ~/.pgpass ist sicherer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Written for sh, bash and zsh. Add psql&apos;s own options (-c, -f…) at the end.</source>
        <translation>Geschrieben für sh, bash und zsh. Hängen Sie die eigenen Optionen von psql (-c, -f …) am Ende an.</translation>
    </message>
</context>
<context>
    <name>vf::interop::PsycopgWriter</name>
    <message>
        <location filename="../core/interop/PsycopgWriter.cpp" line="+28"/>
        <source>Some values are not valid UTF-8; Python strings cannot carry those bytes. Use the URI (percent-encoded) instead.</source>
        <translation>Einige Werte sind kein gültiges UTF-8; Python-Zeichenketten können diese Bytes nicht aufnehmen. Verwenden Sie stattdessen die URI (Prozent-kodiert).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>psycopg passes these settings to libpq unchanged: the libpq version psycopg uses decides which keywords it knows (psycopg.pq.version()).</source>
        <translation>psycopg gibt diese Einstellungen unverändert an libpq weiter: Die von psycopg verwendete libpq-Version entscheidet, welche Schlüsselwörter sie kennt (psycopg.pq.version()).</translation>
    </message>
</context>
<context>
    <name>vf::interop::ServiceFileImport</name>
    <message numerus="yes">
        <location filename="../core/interop/ServiceFileImport.cpp" line="+87"/>
        <source>the service file has %n sections</source>
        <translation>
            <numerusform>die Servicedatei hat %n Abschnitt</numerusform>
            <numerusform>die Servicedatei hat %n Abschnitte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Only the first %n sections are listed.</source>
        <translation>
            <numerusform>Nur der erste %n Abschnitt wird aufgeführt.</numerusform>
            <numerusform>Nur die ersten %n Abschnitte werden aufgeführt.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>service file %1 [%2]</source>
        <translation>Servicedatei %1 [%2]</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>libpq cannot look this section up by its name (the name is not valid UTF-8, or the file changed while it was read).</source>
        <translation>libpq kann diesen Abschnitt nicht über seinen Namen finden (der Name ist kein gültiges UTF-8, oder die Datei hat sich während des Lesens geändert).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The section is empty: a profile from it has only libpq&apos;s defaults.</source>
        <translation>Der Abschnitt ist leer: Ein daraus erstelltes Profil hat nur die Standardwerte von libpq.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The section holds a password or another secret.</source>
        <translation>Der Abschnitt enthält ein Passwort oder ein anderes Geheimnis.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>PGSERVICEFILE</source>
        <translation>PGSERVICEFILE</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the user&apos;s service file</source>
        <translation>Servicedatei des Benutzers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no home directory</source>
        <translation>kein Home-Verzeichnis</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>PGSYSCONFDIR</source>
        <translation>PGSYSCONFDIR</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the system service file</source>
        <translation>Servicedatei des Systems</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The profile names the service only: libpq reads its settings from the service file each time, so changes to the file apply. It searches PGSERVICEFILE or ~/.pg_service.conf, then the system pg_service.conf.</source>
        <translation>Das Profil nennt nur den Service: libpq liest dessen Einstellungen jedes Mal aus der Servicedatei, sodass Änderungen an der Datei wirksam werden. Gesucht wird in PGSERVICEFILE oder ~/.pg_service.conf, danach in der pg_service.conf des Systems.</translation>
    </message>
</context>
<context>
    <name>vf::interop::ServiceSectionWriter</name>
    <message>
        <location filename="../core/interop/ServiceSectionWriter.cpp" line="+27"/>
        <source>The name is empty.</source>
        <translation>Der Name ist leer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name contains &quot;]&quot;, which ends a section header.</source>
        <translation>Der Name enthält „]“, womit ein Abschnittskopf endet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name contains a line break.</source>
        <translation>Der Name enthält einen Zeilenumbruch.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name starts or ends with white space.</source>
        <translation>Der Name beginnt oder endet mit Leerraum.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name is too long for libpq&apos;s line buffer.</source>
        <translation>Der Name ist zu lang für den Zeilenpuffer von libpq.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; cannot be a service name</source>
        <translation>„%1“ kann kein Servicename sein</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 is left out: a service section cannot name another service or service file.</source>
        <translation>%1 wird weggelassen: Ein Serviceabschnitt kann keinen anderen Service und keine andere Servicedatei nennen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A service file has no quoting, so a value with a line break cannot be written. Use the keyword/value string or the URI for this profile instead.</source>
        <translation>Eine Servicedatei kennt keine Anführungszeichen, daher kann ein Wert mit Zeilenumbruch nicht geschrieben werden. Verwenden Sie für dieses Profil stattdessen die Schlüsselwort/Wert-Zeichenfolge oder die URI.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq trims white space from both ends of a service-file line, so this value would be read back without it. Use the keyword/value string or the URI for this profile instead.</source>
        <translation>libpq entfernt Leerraum an beiden Enden einer Zeile der Servicedatei, daher würde dieser Wert ohne ihn zurückgelesen. Verwenden Sie für dieses Profil stattdessen die Schlüsselwort/Wert-Zeichenfolge oder die URI.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq reads service files with a 1024-byte line buffer, and this line would be longer. Use the keyword/value string or the URI for this profile instead.</source>
        <translation>libpq liest Servicedateien mit einem Zeilenpuffer von 1024 Byte, und diese Zeile wäre länger. Verwenden Sie für dieses Profil stattdessen die Schlüsselwort/Wert-Zeichenfolge oder die URI.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the value of %1 cannot be written in a service file</source>
        <translation>der Wert von %1 kann nicht in eine Servicedatei geschrieben werden</translation>
    </message>
</context>
<context>
    <name>vf::pki::ChainVerifier</name>
    <message>
        <location filename="../core/pki/ChainVerifier.cpp" line="+172"/>
        <source>the certificate</source>
        <extracomment>Stands for a certificate whose name is unknown. It fills %1 of the chain explanations: at the start of a sentence (&quot;%1 has expired.&quot;), after &quot;of&quot; (&quot;The issuer of %1 …&quot;) and after &quot;certificate&quot; (&quot;The server&apos;s certificate %1 is self-signed …&quot;). Choose a form that fits all of them.</extracomment>
        <translation>das Zertifikat</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The issuer of %1 is neither among the certificates the server sent nor in the trusted root certificates. Either sslrootcert holds a different CA than the one that issued the server&apos;s certificate, or the server does not send its intermediate certificate (add it to the server&apos;s ssl_cert_file after the server certificate, or to your root file).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Der Aussteller von %1 ist weder unter den vom Server gesendeten Zertifikaten noch unter den vertrauenswürdigen Stammzertifikaten. Entweder enthält sslrootcert eine andere CA als die, die das Zertifikat des Servers ausgestellt hat, oder der Server sendet sein Zwischenzertifikat nicht mit (tragen Sie es in die ssl_cert_file des Servers nach dem Serverzertifikat ein oder nehmen Sie es in Ihre Stammzertifikatsdatei auf).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The issuer of %1 was not found. libpq needs the self-signed root certificate in sslrootcert: an intermediate CA alone is not accepted as a trust anchor.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Der Aussteller von %1 wurde nicht gefunden. libpq benötigt das selbstsignierte Stammzertifikat in sslrootcert: Eine Zwischen-CA allein wird nicht als Vertrauensanker akzeptiert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s certificate %1 is self-signed and is not among your trusted root certificates. If you trust it, put it into the file sslrootcert names.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Das Zertifikat %1 des Servers ist selbstsigniert und gehört nicht zu Ihren vertrauenswürdigen Stammzertifikaten. Wenn Sie ihm vertrauen, nehmen Sie es in die Datei auf, die sslrootcert nennt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The chain ends in the root certificate %1, which is not among your trusted root certificates: sslrootcert holds a different CA.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Die Kette endet beim Stammzertifikat %1, das nicht zu Ihren vertrauenswürdigen Stammzertifikaten gehört: sslrootcert enthält eine andere CA.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 has expired. It has to be renewed (or the computer&apos;s clock is wrong).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 ist abgelaufen. Es muss erneuert werden (oder die Uhr des Computers geht falsch).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is not valid yet. Check the computer&apos;s clock, or wait until it becomes valid.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 ist noch nicht gültig. Prüfen Sie die Uhr des Computers, oder warten Sie, bis es gültig wird.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 has been revoked by its CA (it is listed in the certificate revocation list).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 wurde von seiner CA gesperrt (es steht in der Zertifikatssperrliste).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CRL checking is on because sslcrl/sslcrldir loaded, and then OpenSSL needs a CRL from the CA of every certificate in the chain; there is none for the issuer of %1. Add that CA&apos;s CRL to the file or directory.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Die CRL-Prüfung ist aktiv, weil sslcrl/sslcrldir geladen wurde, und dann benötigt OpenSSL eine CRL von der CA jedes Zertifikats in der Kette; für den Aussteller von %1 gibt es keine. Nehmen Sie die CRL dieser CA in die Datei oder das Verzeichnis auf.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 may not be used for this purpose: its extended key usage (or Netscape certificate type) does not allow it. A server certificate needs serverAuth, a client certificate clientAuth.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 darf nicht für diesen Zweck verwendet werden: Seine erweiterte Schlüsselverwendung (oder der Netscape-Zertifikatstyp) erlaubt es nicht. Ein Serverzertifikat benötigt serverAuth, ein Clientzertifikat clientAuth.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is used as a CA but is not allowed to sign certificates (basicConstraints CA:TRUE and keyUsage keyCertSign are required).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 wird als CA verwendet, darf aber keine Zertifikate signieren (erforderlich sind basicConstraints CA:TRUE und keyUsage keyCertSign).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The chain is longer than the path length constraint of a CA allows.</source>
        <translation>Die Kette ist länger, als die Pfadlängenbeschränkung einer CA erlaubt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signature of %1 does not verify with its issuer&apos;s key: the certificate was altered or was not issued by that CA.</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>Die Signatur von %1 lässt sich mit dem Schlüssel seines Ausstellers nicht verifizieren: Das Zertifikat wurde verändert oder nicht von dieser CA ausgestellt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 uses a key or signature algorithm too weak for OpenSSL&apos;s security level on this system; it has to be reissued with a stronger key (RSA 2048 or more, SHA-256).</source>
        <extracomment>%1 is the certificate&apos;s quoted name, or &quot;the certificate&quot; when it has none.</extracomment>
        <translation>%1 verwendet einen Schlüssel oder Signaturalgorithmus, der für die Sicherheitsstufe von OpenSSL auf diesem System zu schwach ist; es muss mit einem stärkeren Schlüssel neu ausgestellt werden (RSA 2048 oder mehr, SHA-256).</translation>
    </message>
    <message>
        <location line="+150"/>
        <source>no certificate to verify</source>
        <translation>kein Zertifikat zu verifizieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The peer presented no certificate.</source>
        <translation>Die Gegenstelle hat kein Zertifikat vorgelegt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a presented certificate is empty</source>
        <translation>ein vorgelegtes Zertifikat ist leer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One of the certificates to verify could not be read.</source>
        <translation>Eines der zu verifizierenden Zertifikate konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>OpenSSL could not use the system&apos;s trusted roots.</source>
        <translation>OpenSSL konnte die vertrauenswürdigen Stammzertifikate des Systems nicht verwenden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslrootcert names a file that does not exist (or cannot be reached).</source>
        <translation>sslrootcert nennt eine Datei, die nicht existiert (oder nicht erreichbar ist).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The root certificate file must be a readable PEM file with one or more CA certificates.</source>
        <translation>Die Stammzertifikatsdatei muss eine lesbare PEM-Datei mit einem oder mehreren CA-Zertifikaten sein.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The CRL file &quot;%1&quot; could not be loaded (%2); libpq then checks no revocation at all.</source>
        <translation>Die CRL-Datei „%1“ konnte nicht geladen werden (%2); libpq prüft dann überhaupt keine Sperrungen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The CRL file &quot;%1&quot; could not be loaded (%2); libpq then checks no revocation at all, and ignores the CRL directory &quot;%3&quot; too.</source>
        <translation>Die CRL-Datei „%1“ konnte nicht geladen werden (%2); libpq prüft dann überhaupt keine Sperrungen und ignoriert auch das CRL-Verzeichnis „%3“.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>With sslrootcert=system libpq loads no CRL.</source>
        <translation>Mit sslrootcert=system lädt libpq keine CRL.</translation>
    </message>
    <message>
        <location line="+201"/>
        <source>The certificate chain is valid and leads to a trusted root certificate.</source>
        <translation>Die Zertifikatskette ist gültig und führt zu einem vertrauenswürdigen Stammzertifikat.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Also: %1</source>
        <translation>Außerdem: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Warning: &quot;%1&quot; expires in %n day(s) (%2).</source>
        <translation>
            <numerusform>Warnung: „%1“ läuft in %n Tag ab (%2).</numerusform>
            <numerusform>Warnung: „%1“ läuft in %n Tagen ab (%2).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vf::pki::HostNameMatcher</name>
    <message>
        <location filename="../core/pki/HostNameMatcher.cpp" line="+142"/>
        <source>%1 and %2</source>
        <translation>%1 und %2</translation>
    </message>
    <message>
        <location line="+187"/>
        <source>The certificate holds no DNS name, IP address or common name</source>
        <translation>Das Zertifikat enthält weder DNS-Namen noch IP-Adresse noch Common Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate names %1</source>
        <translation>Das Zertifikat nennt %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1; the host name %2 matches %3.</source>
        <translation>%1; der Hostname %2 passt zu %3.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1; the host name %2 matches %3 (its common name).</source>
        <translation>%1; der Hostname %2 passt zu %3 (seinem Common Name).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1; the host name %2 matches %3 (an IP address entry).</source>
        <translation>%1; der Hostname %2 passt zu %3 (einem IP-Adresseintrag).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1; the host name %2 matches %3 (a DNS name entry).</source>
        <translation>%1; der Hostname %2 passt zu %3 (einem DNS-Namenseintrag).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode=verify-full compares the server&apos;s host name with its certificate, but no host name was given (for example only hostaddr is set). Set host to the name the certificate was issued for.</source>
        <translation>sslmode=verify-full vergleicht den Hostnamen des Servers mit seinem Zertifikat, es wurde aber kein Hostname angegeben (zum Beispiel ist nur hostaddr gesetzt). Setzen Sie host auf den Namen, für den das Zertifikat ausgestellt wurde.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate contains a name with a NUL byte (%1), the pattern of a known attack (CVE-2009-4034), so libpq refuses the certificate. It has to be replaced.</source>
        <translation>Das Zertifikat enthält einen Namen mit einem NUL-Byte (%1), das Muster eines bekannten Angriffs (CVE-2009-4034), daher lehnt libpq das Zertifikat ab. Es muss ersetzt werden.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The certificate contains an IP address entry of %1 bytes; only 4 (IPv4) and 16 (IPv6) are valid, so libpq refuses the certificate. It has to be reissued.</source>
        <translation>Das Zertifikat enthält einen IP-Adresseintrag mit %1 Byte; gültig sind nur 4 (IPv4) und 16 (IPv6), daher lehnt libpq das Zertifikat ab. Es muss neu ausgestellt werden.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The wildcard %1 stands for exactly one label, so it does not cover %2.</source>
        <translation>Der Platzhalter %1 steht für genau ein Label und deckt daher %2 nicht ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The wildcard %1 does not cover %2 itself, only names one label below it.</source>
        <translation>Der Platzhalter %1 deckt %2 selbst nicht ab, nur Namen genau ein Label darunter.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>libpq compares names literally and does not drop a trailing dot: connect to %1 instead.</source>
        <translation>libpq vergleicht Namen wörtlich und entfernt keinen abschließenden Punkt: Verbinden Sie sich stattdessen mit %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The common name %1 would match, but libpq ignores the common name when the certificate has IP address entries (subjectAltName).</source>
        <translation>Der Common Name %1 würde passen, aber libpq ignoriert den Common Name, wenn das Zertifikat IP-Adresseinträge (subjectAltName) hat.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The common name %1 would match, but libpq ignores the common name when the certificate has DNS name entries (subjectAltName).</source>
        <translation>Der Common Name %1 würde passen, aber libpq ignoriert den Common Name, wenn das Zertifikat DNS-Namenseinträge (subjectAltName) hat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The DNS name entry %1 holds an IP address; libpq compares it as text, so the address must be written exactly the same way.</source>
        <translation>Der DNS-Namenseintrag %1 enthält eine IP-Adresse; libpq vergleicht ihn als Text, daher muss die Adresse genau gleich geschrieben sein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You connected by name, but the certificate lists IP addresses for its subjectAltName; connect by one of those addresses or add the name to the certificate.</source>
        <translation>Sie haben sich über einen Namen verbunden, aber das Zertifikat führt in seinem subjectAltName IP-Adressen auf; verbinden Sie sich über eine dieser Adressen oder nehmen Sie den Namen in das Zertifikat auf.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You connected by IP address, but the certificate lists only DNS names; connect by one of those names or add the address to the certificate (IP:%1).</source>
        <translation>Sie haben sich über eine IP-Adresse verbunden, aber das Zertifikat führt nur DNS-Namen auf; verbinden Sie sich über einen dieser Namen oder nehmen Sie die Adresse in das Zertifikat auf (IP:%1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1; you connected to %2.</source>
        <translation>%1; Sie haben sich mit %2 verbunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect with a name the certificate holds, or have the certificate reissued with a subjectAltName for %1.</source>
        <translation>Verbinden Sie sich mit einem Namen, den das Zertifikat enthält, oder lassen Sie das Zertifikat mit einem subjectAltName für %1 neu ausstellen.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(not compared)</source>
        <translation>(nicht verglichen)</translation>
    </message>
</context>
<context>
    <name>vf::pki::KeyPermissions</name>
    <message>
        <location filename="../core/pki/KeyPermissions.cpp" line="+35"/>
        <source>No private key file path was given.</source>
        <translation>Es wurde kein Pfad für die private Schlüsseldatei angegeben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file does not exist. Check the path of the private key (sslkey), or remove the client certificate setting if you do not want to use a client certificate.</source>
        <translation>Die Datei existiert nicht. Prüfen Sie den Pfad des privaten Schlüssels (sslkey), oder entfernen Sie die Einstellung für das Clientzertifikat, wenn Sie kein Clientzertifikat verwenden möchten.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A part of the path that should be a directory is a file.</source>
        <translation>Ein Teil des Pfads, der ein Verzeichnis sein sollte, ist eine Datei.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The path runs into a loop of symbolic links.</source>
        <translation>Der Pfad führt in eine Schleife symbolischer Links.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A directory on the way to the file cannot be searched by this user.</source>
        <translation>Ein Verzeichnis auf dem Weg zur Datei kann von diesem Benutzer nicht durchsucht werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The path is too long.</source>
        <translation>Der Pfad ist zu lang.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The operating system could not report on the file.</source>
        <translation>Das Betriebssystem konnte keine Auskunft über die Datei geben.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>owned by root, so it may allow its owner read and write and its group read (0640), nothing more</source>
        <translation>gehört root, darf also ihrem Besitzer Lesen und Schreiben und ihrer Gruppe Lesen erlauben (0640), mehr nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>owned by user id %1, so only its owner may read or write it (0600)</source>
        <translation>gehört der Benutzer-ID %1, daher darf nur ihr Besitzer sie lesen oder schreiben (0600)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has permissions %1 and is %2. Run: chmod %3 &quot;%4&quot;</source>
        <translation>Die Datei hat die Rechte %1 und %2. Führen Sie aus: chmod %3 &quot;%4&quot;</translation>
    </message>
    <message>
        <location line="+83"/>
        <location line="+19"/>
        <source>The path names a directory or a special file, not a key file.</source>
        <translation>Der Pfad bezeichnet ein Verzeichnis oder eine Spezialdatei, keine Schlüsseldatei.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file belongs to user id %1; the server runs as user id %2. Give the file to the database user or to root (chown).</source>
        <translation>Die Datei gehört der Benutzer-ID %1; der Server läuft unter der Benutzer-ID %2. Übertragen Sie den Besitz der Datei an den Datenbankbenutzer oder an root (chown).</translation>
    </message>
</context>
<context>
    <name>vf::pki::OpenSslText</name>
    <message>
        <location filename="../core/pki/OpenSslText.cpp" line="+50"/>
        <source>&lt;invalid length %1: %2&gt;</source>
        <translation>&lt;ungültige Länge %1: %2&gt;</translation>
    </message>
</context>
<context>
    <name>vf::pki::PkiLoader</name>
    <message>
        <location filename="../core/pki/PkiLoader.cpp" line="+52"/>
        <source>an encrypted private key</source>
        <translation>einen verschlüsselten privaten Schlüssel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 certificates</source>
        <translation>%1 Zertifikate</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>root (CA) certificates</source>
        <translation>Stammzertifikate (CA)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a client certificate</source>
        <translation>ein Clientzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+387"/>
        <source>a private key</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>einen privaten Schlüssel</translation>
    </message>
    <message>
        <location line="-385"/>
        <location line="+400"/>
        <source>a certificate revocation list (CRL)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>eine Zertifikatssperrliste (CRL)</translation>
    </message>
    <message>
        <location line="-398"/>
        <source>a directory of CRLs</source>
        <translation>ein Verzeichnis mit CRLs</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a certificate, key or CRL</source>
        <translation>ein Zertifikat, einen Schlüssel oder eine CRL</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A private key belongs in the client key field (sslkey). This field needs a certificate (a file with &quot;-----BEGIN CERTIFICATE-----&quot;).</source>
        <translation>Ein privater Schlüssel gehört in das Feld für den Clientschlüssel (sslkey). Dieses Feld benötigt ein Zertifikat (eine Datei mit „-----BEGIN CERTIFICATE-----“).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A private key belongs in the client key field (sslkey).</source>
        <translation>Ein privater Schlüssel gehört in das Feld für den Clientschlüssel (sslkey).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The key field needs the matching *private* key: the file created together with the certificate request, which never leaves your computer. A public key cannot sign in.</source>
        <translation>Das Schlüsselfeld benötigt den passenden *privaten* Schlüssel: die Datei, die zusammen mit der Zertifikatsanforderung erstellt wurde und Ihren Computer nie verlässt. Mit einem öffentlichen Schlüssel kann man sich nicht anmelden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A bare public key is not a certificate: it has no name, issuer or signature. Ask for the certificate itself.</source>
        <translation>Ein bloßer öffentlicher Schlüssel ist kein Zertifikat: Er hat keinen Namen, keinen Aussteller und keine Signatur. Fordern Sie das Zertifikat selbst an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A certificate signing request is what you send to the certificate authority; it returns the signed certificate. Use that certificate (and, in the key field, the private key made with the request).</source>
        <translation>Eine Zertifikatsanforderung (CSR) senden Sie an die Zertifizierungsstelle; diese gibt das signierte Zertifikat zurück. Verwenden Sie dieses Zertifikat (und im Schlüsselfeld den privaten Schlüssel, der mit der Anforderung erstellt wurde).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The key field needs the private key that belongs to the certificate (a file with &quot;-----BEGIN PRIVATE KEY-----&quot; or similar). The certificate goes in the certificate field (sslcert).</source>
        <translation>Das Schlüsselfeld benötigt den privaten Schlüssel, der zum Zertifikat gehört (eine Datei mit „-----BEGIN PRIVATE KEY-----“ oder ähnlich). Das Zertifikat gehört in das Zertifikatsfeld (sslcert).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates do not belong here. Note that libpq would still load this file, switch CRL checking on, find no CRL and then reject every server certificate (&quot;unable to get certificate CRL&quot;).</source>
        <translation>Zertifikate gehören nicht hierher. Beachten Sie, dass libpq diese Datei trotzdem laden, die CRL-Prüfung einschalten, keine CRL finden und dann jedes Serverzertifikat ablehnen würde („unable to get certificate CRL“).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A certificate revocation list belongs in the CRL file field (sslcrl).</source>
        <translation>Eine Zertifikatssperrliste gehört in das Feld für die CRL-Datei (sslcrl).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A PKCS#12 bundle carries a client certificate and its key. For root certificates choose the certificate authority&apos;s certificate (it can be extracted from the bundle if the bundle includes it).</source>
        <translation>Ein PKCS#12-Bundle enthält ein Clientzertifikat und seinen Schlüssel. Wählen Sie für Stammzertifikate das Zertifikat der Zertifizierungsstelle (es lässt sich aus dem Bundle extrahieren, falls das Bundle es enthält).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A PKCS#7 bundle holds certificates only, never a private key.</source>
        <translation>Ein PKCS#7-Bundle enthält nur Zertifikate, nie einen privaten Schlüssel.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This PKCS#7 bundle holds no CRL.</source>
        <translation>Dieses PKCS#7-Bundle enthält keine CRL.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PKCS#7 bundle holds no certificate.</source>
        <translation>Dieses PKCS#7-Bundle enthält kein Zertifikat.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PostgreSQL&apos;s TLS uses X.509 certificates and keys (PEM files); SSH keys cannot be used. Ask the database administrator for a client certificate.</source>
        <translation>TLS in PostgreSQL verwendet X.509-Zertifikate und -Schlüssel (PEM-Dateien); SSH-Schlüssel können nicht verwendet werden. Bitten Sie den Datenbankadministrator um ein Clientzertifikat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a file, not a directory.</source>
        <translation>Wählen Sie eine Datei, kein Verzeichnis.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This field needs %1.</source>
        <translation>Dieses Feld benötigt %1.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&quot;%1&quot; holds %2, not %3</source>
        <translation>„%1“ enthält %2, nicht %3</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>the private key is encrypted and needs a passphrase</source>
        <translation>der private Schlüssel ist verschlüsselt und benötigt eine Passphrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the passphrase the key was protected with (libpq&apos;s sslpassword).</source>
        <translation>Geben Sie die Passphrase ein, mit der der Schlüssel geschützt wurde (sslpassword von libpq).</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>libpq cannot read PKCS#12 (.p12/.pfx) files: the certificate and the key have to be extracted into PEM files.</source>
        <translation>libpq kann keine PKCS#12-Dateien (.p12/.pfx) lesen: Zertifikat und Schlüssel müssen in PEM-Dateien extrahiert werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq cannot read PKCS#7 (.p7b/.p7c) bundles: the certificates have to be extracted into a PEM file.</source>
        <translation>libpq kann keine PKCS#7-Bundles (.p7b/.p7c) lesen: Die Zertifikate müssen in eine PEM-Datei extrahiert werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq reads only PEM text here (&quot;-----BEGIN …-----&quot;); this file is binary DER. Convert it to PEM.</source>
        <translation>libpq liest hier nur PEM-Text („-----BEGIN …-----“); diese Datei ist binäres DER. Konvertieren Sie sie in PEM.</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+5"/>
        <source>libpq&apos;s OpenSSL could not read a certificate from this file.</source>
        <translation>Das OpenSSL von libpq konnte kein Zertifikat aus dieser Datei lesen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The security level of this system&apos;s OpenSSL refuses this certificate (its key is too small or its signature algorithm too weak). Get a certificate with an RSA key of at least 2048 bits or an EC key, signed with SHA-256.</source>
        <translation>Die Sicherheitsstufe des OpenSSL auf diesem System lehnt dieses Zertifikat ab (sein Schlüssel ist zu klein oder sein Signaturalgorithmus zu schwach). Besorgen Sie ein Zertifikat mit einem RSA-Schlüssel von mindestens 2048 Bit oder einem EC-Schlüssel, signiert mit SHA-256.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the private key is encrypted</source>
        <translation>der private Schlüssel ist verschlüsselt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq can read it only with its passphrase in sslpassword; without it, psql asks on the terminal and other programs fail.</source>
        <translation>libpq kann ihn nur mit seiner Passphrase in sslpassword lesen; ohne sie fragt psql im Terminal danach, und andere Programme scheitern.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq&apos;s OpenSSL could not read a private key from this file.</source>
        <translation>Das OpenSSL von libpq konnte keinen privaten Schlüssel aus dieser Datei lesen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq cannot decrypt a binary (DER) encrypted key. Convert it to PEM.</source>
        <translation>libpq kann einen binären (DER) verschlüsselten Schlüssel nicht entschlüsseln. Konvertieren Sie ihn in PEM.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq could not decrypt the key with this passphrase.</source>
        <translation>libpq konnte den Schlüssel mit dieser Passphrase nicht entschlüsseln.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>libpq silently skips a CRL file it cannot read and then checks no CRLs at all, not even those in sslcrldir.</source>
        <translation>libpq überspringt eine CRL-Datei, die es nicht lesen kann, stillschweigend und prüft dann überhaupt keine CRLs, auch nicht die in sslcrldir.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq would ignore CRL file &quot;%1&quot;: %2</source>
        <translation>libpq würde die CRL-Datei „%1“ ignorieren: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the CRL file also holds certificates</source>
        <translation>die CRL-Datei enthält auch Zertifikate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL loads them too: libpq then trusts them as if they were in the root certificate file.</source>
        <translation>OpenSSL lädt sie ebenfalls: libpq vertraut ihnen dann, als stünden sie in der Stammzertifikatsdatei.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&quot;%1&quot; is not a CA certificate</source>
        <translation>„%1“ ist kein CA-Zertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Root certificates are certificate-authority certificates. This one is an end-entity (server or client) certificate; it only helps if the server presents exactly it.</source>
        <translation>Stammzertifikate sind Zertifikate von Zertifizierungsstellen. Dieses ist ein Endzertifikat (Server oder Client); es hilft nur, wenn der Server genau dieses vorlegt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the file also holds a private key</source>
        <translation>die Datei enthält auch einen privaten Schlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Root certificate files are usually shared; a private key should not be in one. libpq ignores it here.</source>
        <translation>Stammzertifikatsdateien werden meist weitergegeben; ein privater Schlüssel gehört nicht hinein. libpq ignoriert ihn hier.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the first certificate in the file is a CA certificate</source>
        <translation>das erste Zertifikat in der Datei ist ein CA-Zertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq sends the first certificate as yours and the following ones as its chain. Put the client certificate first.</source>
        <translation>libpq sendet das erste Zertifikat als Ihres und die folgenden als dessen Kette. Setzen Sie das Clientzertifikat an den Anfang.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the certificate is a CA certificate</source>
        <translation>das Zertifikat ist ein CA-Zertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A client certificate is normally an end-entity certificate issued by the CA, not the CA certificate itself.</source>
        <translation>Ein Clientzertifikat ist normalerweise ein von der CA ausgestelltes Endzertifikat, nicht das CA-Zertifikat selbst.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the certificate is not meant for client authentication</source>
        <translation>das Zertifikat ist nicht für die Clientauthentifizierung vorgesehen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its extended key usage (%1) lacks &quot;TLS Web Client Authentication&quot;; the server will reject it (&quot;unsupported certificate purpose&quot;).</source>
        <translation>Seiner erweiterten Schlüsselverwendung (%1) fehlt „TLS Web Client Authentication“; der Server wird es ablehnen („unsupported certificate purpose“).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the file holds %1 private keys</source>
        <translation>die Datei enthält %1 private Schlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq uses the first one.</source>
        <translation>libpq verwendet den ersten.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>With sslmode=verify-ca or verify-full libpq then fails (root certificate file &quot;%1&quot; does not exist); with weaker modes it does not check the server&apos;s certificate at all.</source>
        <translation>Mit sslmode=verify-ca oder verify-full scheitert libpq dann (root certificate file &quot;%1&quot; does not exist); mit schwächeren Modi prüft es das Zertifikat des Servers überhaupt nicht.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq then connects without a client certificate, silently.</source>
        <translation>libpq verbindet sich dann stillschweigend ohne Clientzertifikat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq reports: certificate present, but not private key file &quot;%1&quot;.</source>
        <translation>libpq meldet: certificate present, but not private key file &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq then silently checks no CRLs at all, not even those of sslcrldir.</source>
        <translation>libpq prüft dann stillschweigend überhaupt keine CRLs, auch nicht die aus sslcrldir.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq accepts a missing directory silently and switches CRL checking on: every server certificate is then rejected (&quot;unable to get certificate CRL&quot;).</source>
        <translation>libpq akzeptiert ein fehlendes Verzeichnis stillschweigend und schaltet die CRL-Prüfung ein: Jedes Serverzertifikat wird dann abgelehnt („unable to get certificate CRL“).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A directory of CRLs belongs in the CRL directory field (sslcrldir).</source>
        <translation>Ein Verzeichnis mit CRLs gehört in das Feld für das CRL-Verzeichnis (sslcrldir).</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>a certificate</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>ein Zertifikat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a public key</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>einen öffentlichen Schlüssel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a certificate signing request (CSR)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>eine Zertifikatsanforderung (CSR)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a PKCS#12 bundle (.p12/.pfx)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>ein PKCS#12-Bundle (.p12/.pfx)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a PKCS#7 certificate bundle (.p7b)</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>ein PKCS#7-Zertifikatsbundle (.p7b)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>an SSH key</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>einen SSH-Schlüssel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a directory</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>ein Verzeichnis</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unrecognised data</source>
        <extracomment>Used inside a sentence, e.g. &quot;&lt;file&gt; holds %1&quot;; keep the article.</extracomment>
        <translation>nicht erkannte Daten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslrootcert (root certificates)</source>
        <translation>sslrootcert (Stammzertifikate)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslcert (client certificate)</source>
        <translation>sslcert (Clientzertifikat)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslkey (client private key)</source>
        <translation>sslkey (privater Clientschlüssel)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslcrl (CRL file)</source>
        <translation>sslcrl (CRL-Datei)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslcrldir (CRL directory)</source>
        <translation>sslcrldir (CRL-Verzeichnis)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&quot;%1&quot; is a file, not a directory</source>
        <translation>„%1“ ist eine Datei, kein Verzeichnis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A single CRL file belongs in the CRL file field (sslcrl); this field takes a directory of CRLs named by issuer hash (as &quot;openssl rehash&quot; creates).</source>
        <translation>Eine einzelne CRL-Datei gehört in das Feld für die CRL-Datei (sslcrl); dieses Feld nimmt ein Verzeichnis mit CRLs auf, die nach Aussteller-Hash benannt sind (wie von „openssl rehash“ erzeugt).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This field takes a directory of CRLs named by issuer hash (as &quot;openssl rehash&quot; creates).</source>
        <translation>Dieses Feld nimmt ein Verzeichnis mit CRLs auf, die nach Aussteller-Hash benannt sind (wie von „openssl rehash“ erzeugt).</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>libpq would find no CRL in directory &quot;%1&quot;</source>
        <translation>libpq würde im Verzeichnis „%1“ keine CRL finden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq accepts the directory and switches CRL checking on; with no CRL for the server&apos;s certificate authority it then rejects every server certificate (&quot;unable to get certificate CRL&quot;).</source>
        <translation>libpq akzeptiert das Verzeichnis und schaltet die CRL-Prüfung ein; ohne CRL für die Zertifizierungsstelle des Servers lehnt es dann jedes Serverzertifikat ab („unable to get certificate CRL“).</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&quot;%1&quot; holds %2, not a certificate</source>
        <translation>„%1“ enthält %2, kein Zertifikat</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&quot;%1&quot; holds no private key</source>
        <translation>„%1“ enthält keinen privaten Schlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The PKCS#12 bundle only holds certificates.</source>
        <translation>Das PKCS#12-Bundle enthält nur Zertifikate.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>&quot;%1&quot; holds %2, not a PKCS#12 bundle</source>
        <translation>„%1“ enthält %2, kein PKCS#12-Bundle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the .p12/.pfx file, or load the certificate and key files directly.</source>
        <translation>Wählen Sie die .p12/.pfx-Datei, oder laden Sie die Zertifikats- und Schlüsseldateien direkt.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>directory &quot;%1&quot; has %2 files; only the first %3 were checked</source>
        <translation>Verzeichnis „%1“ enthält %2 Dateien; nur die ersten %3 wurden geprüft</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>&quot;%1&quot; is not a PEM file</source>
        <translation>„%1“ ist keine PEM-Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL reads only PEM CRLs from a CRL directory; this one is binary (DER). Convert it with &quot;openssl crl -inform DER -in %1 -out %1&quot;.</source>
        <translation>OpenSSL liest aus einem CRL-Verzeichnis nur PEM-CRLs; diese ist binär (DER). Konvertieren Sie sie mit „openssl crl -inform DER -in %1 -out %1“.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; is named for another issuer</source>
        <translation>„%1“ ist nach einem anderen Aussteller benannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The name uses the old (OpenSSL 0.9.8, MD5) subject hash; current OpenSSL looks for &quot;%1.r0&quot;. Run &quot;openssl rehash&quot; on the directory.</source>
        <translation>Der Name verwendet den alten Subject-Hash (OpenSSL 0.9.8, MD5); aktuelles OpenSSL sucht nach „%1.r0“. Führen Sie „openssl rehash“ für das Verzeichnis aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its CRL is issued by &quot;%2&quot;, whose hash is %1; OpenSSL looks for that CRL in &quot;%1.r0&quot;. Run &quot;openssl rehash&quot; on the directory.</source>
        <translation>Die CRL darin wurde von „%2“ ausgestellt, dessen Hash %1 ist; OpenSSL sucht diese CRL in „%1.r0“. Führen Sie „openssl rehash“ für das Verzeichnis aus.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; has an upper-case name</source>
        <translation>„%1“ hat einen Namen mit Großbuchstaben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL looks for lower-case hexadecimal names (&quot;%1.r%2&quot;).</source>
        <translation>OpenSSL sucht nach kleingeschriebenen hexadezimalen Namen („%1.r%2“).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&quot;%1&quot; is never read</source>
        <translation>„%1“ wird nie gelesen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenSSL reads %1.r0, %1.r1, … and stops at the first missing or unreadable one, so it never gets to this file. Run &quot;openssl rehash&quot;.</source>
        <translation>OpenSSL liest %1.r0, %1.r1, … und hört bei der ersten fehlenden oder unlesbaren Datei auf, daher gelangt es nie zu dieser Datei. Führen Sie „openssl rehash“ aus.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>directory &quot;%1&quot; has no CRL files named by issuer hash</source>
        <translation>Verzeichnis „%1“ enthält keine nach Aussteller-Hash benannten CRL-Dateien</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL only finds CRLs named &quot;&lt;issuer-hash&gt;.r0&quot;. Run &quot;openssl rehash %1&quot; to create these names.</source>
        <translation>OpenSSL findet nur CRLs mit Namen wie „&lt;issuer-hash&gt;.r0“. Führen Sie „openssl rehash %1“ aus, um diese Namen zu erzeugen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OpenSSL only finds CRLs named &quot;&lt;issuer-hash&gt;.r0&quot; (as &quot;openssl rehash&quot; creates).</source>
        <translation>OpenSSL findet nur CRLs mit Namen wie „&lt;issuer-hash&gt;.r0“ (wie von „openssl rehash“ erzeugt).</translation>
    </message>
</context>
<context>
    <name>vf::pki::PkiParser</name>
    <message>
        <location filename="../core/pki/PkiParser.cpp" line="+292"/>
        <source>could not decode %1 number %2 in &quot;%3&quot;</source>
        <translation>%1 Nr. %2 in „%3“ konnte nicht dekodiert werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has the right markers but the data inside is damaged or incomplete. Get a fresh copy of the file.</source>
        <translation>Die Datei hat die richtigen Markierungen, aber die Daten darin sind beschädigt oder unvollständig. Besorgen Sie eine neue Kopie der Datei.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&quot;%1&quot; is not a certificate, key or CRL file</source>
        <translation>„%1“ ist keine Zertifikats-, Schlüssel- oder CRL-Datei</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The file is UTF-16 text. Certificate and key files are ASCII; save it again as plain ASCII/UTF-8 text (for example with Notepad&apos;s &quot;UTF-8&quot; encoding).</source>
        <translation>Die Datei ist UTF-16-Text. Zertifikats- und Schlüsseldateien sind ASCII; speichern Sie sie erneut als reinen ASCII/UTF-8-Text (zum Beispiel im Windows-Editor mit der Kodierung „UTF-8“).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is a Java KeyStore (JKS/JCEKS). Export the certificate with &quot;keytool -exportcert -rfc&quot;, or convert the store to PKCS#12 with &quot;keytool -importkeystore -deststoretype PKCS12&quot;.</source>
        <translation>Dies ist ein Java KeyStore (JKS/JCEKS). Exportieren Sie das Zertifikat mit „keytool -exportcert -rfc“, oder konvertieren Sie den Keystore mit „keytool -importkeystore -deststoretype PKCS12“ in PKCS#12.</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+7"/>
        <source>certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PKCS#7 bundle</source>
        <translation>PKCS#7-Bundle</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+22"/>
        <source>private key</source>
        <translation>privater Schlüssel</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+268"/>
        <source>encrypted private key</source>
        <translation>verschlüsselter privater Schlüssel</translation>
    </message>
    <message>
        <location line="-245"/>
        <location line="+4"/>
        <source>public key</source>
        <translation>öffentlicher Schlüssel</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>certificate request</source>
        <translation>Zertifikatsanforderung</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>&quot;%1&quot; ends in the middle of PEM block number %2</source>
        <translation>„%1“ endet mitten in PEM-Block Nr. %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file was cut off: the last &quot;-----BEGIN …-----&quot; block has no &quot;-----END …-----&quot; line. It was probably copied or downloaded incompletely; get a fresh copy.</source>
        <translation>Die Datei wurde abgeschnitten: Zum letzten „-----BEGIN …-----“-Block fehlt die Zeile „-----END …-----“. Sie wurde vermutlich unvollständig kopiert oder heruntergeladen; besorgen Sie eine neue Kopie.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not decode PEM block number %1 in &quot;%2&quot;</source>
        <translation>PEM-Block Nr. %1 in „%2“ konnte nicht dekodiert werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text between the &quot;-----BEGIN&quot; and &quot;-----END&quot; lines is not valid base64 or the block markers do not match. The file may have been edited or mangled by copy and paste.</source>
        <translation>Der Text zwischen den Zeilen „-----BEGIN“ und „-----END“ ist kein gültiges Base64, oder die Blockmarkierungen passen nicht zusammen. Die Datei wurde möglicherweise bearbeitet oder durch Kopieren und Einfügen verstümmelt.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>ignored a PEM block of unknown type &quot;%1&quot;</source>
        <translation>PEM-Block unbekannten Typs „%1“ ignoriert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Block number %1 is not a certificate, key, CRL or request; it was skipped.</source>
        <translation>Block Nr. %1 ist weder Zertifikat noch Schlüssel, CRL oder Anforderung; er wurde übersprungen.</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+115"/>
        <source>It is binary data in no format a certificate, key or CRL uses.</source>
        <translation>Es sind Binärdaten in keinem Format, das ein Zertifikat, ein Schlüssel oder eine CRL verwendet.</translation>
    </message>
    <message>
        <location line="-112"/>
        <source>unexpected data after object number %1 in &quot;%2&quot;</source>
        <translation>unerwartete Daten nach Objekt Nr. %1 in „%2“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file holds extra bytes after the binary (DER) object. It may be damaged, or two files were joined.</source>
        <translation>Die Datei enthält nach dem binären (DER-)Objekt zusätzliche Bytes. Sie ist möglicherweise beschädigt, oder zwei Dateien wurden aneinandergehängt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is cut off: binary (DER) object number %2 needs %3 bytes, the file has %4</source>
        <translation>„%1“ ist abgeschnitten: Binäres (DER-)Objekt Nr. %2 benötigt %3 Byte, die Datei hat %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file was copied or downloaded incompletely; get a fresh copy.</source>
        <translation>Die Datei wurde unvollständig kopiert oder heruntergeladen; besorgen Sie eine neue Kopie.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>It is binary ASN.1 (DER) data, but not a certificate, private or public key, CRL, certificate request, PKCS#7 or PKCS#12 file.</source>
        <translation>Es sind binäre ASN.1-Daten (DER), aber weder Zertifikat noch privater oder öffentlicher Schlüssel, CRL, Zertifikatsanforderung, PKCS#7- oder PKCS#12-Datei.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>binary object</source>
        <translation>Binärobjekt</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>the private key is encrypted and needs a passphrase</source>
        <translation>der private Schlüssel ist verschlüsselt und benötigt eine Passphrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the passphrase the key was protected with (libpq&apos;s sslpassword).</source>
        <translation>Geben Sie die Passphrase ein, mit der der Schlüssel geschützt wurde (sslpassword von libpq).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>wrong passphrase for the private key</source>
        <translation>falsche Passphrase für den privaten Schlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The key could not be decrypted with this passphrase (libpq reports &quot;bad decrypt&quot;). Check the passphrase, including upper and lower case.</source>
        <translation>Der Schlüssel konnte mit dieser Passphrase nicht entschlüsselt werden (libpq meldet „bad decrypt“). Prüfen Sie die Passphrase, auch auf Groß- und Kleinschreibung.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>file &quot;%1&quot; is empty</source>
        <translation>Datei „%1“ ist leer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has no content.</source>
        <translation>Die Datei hat keinen Inhalt.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>It contains &quot;-----BEGIN&quot; but no PEM block starts at the beginning of a line.</source>
        <translation>Sie enthält „-----BEGIN“, aber kein PEM-Block beginnt am Anfang einer Zeile.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It is text without any &quot;-----BEGIN …-----&quot; block (PEM), so it holds no certificate, key or CRL.</source>
        <translation>Es ist Text ohne einen „-----BEGIN …-----“-Block (PEM), daher enthält die Datei kein Zertifikat, keinen Schlüssel und keine CRL.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>It only contains PEM blocks of other types (%1).</source>
        <translation>Sie enthält nur PEM-Blöcke anderer Typen (%1).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the PKCS#12 file holds no private key</source>
        <translation>die PKCS#12-Datei enthält keinen privaten Schlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It only holds certificates. Choose the file that holds the key.</source>
        <translation>Sie enthält nur Zertifikate. Wählen Sie die Datei, die den Schlüssel enthält.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a private key</source>
        <translation>kein privater Schlüssel</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the private key is encrypted with an algorithm OpenSSL does not support</source>
        <translation>der private Schlüssel ist mit einem Algorithmus verschlüsselt, den OpenSSL nicht unterstützt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Convert the key with &quot;openssl pkcs8&quot; (add -provider legacy -provider default for very old keys).</source>
        <translation>Konvertieren Sie den Schlüssel mit „openssl pkcs8“ (bei sehr alten Schlüsseln mit -provider legacy -provider default).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the decrypted private key could not be read</source>
        <translation>der entschlüsselte private Schlüssel konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The key uses an algorithm this OpenSSL does not know.</source>
        <translation>Der Schlüssel verwendet einen Algorithmus, den dieses OpenSSL nicht kennt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the private key is encrypted with an unknown cipher</source>
        <translation>der private Schlüssel ist mit einem unbekannten Verschlüsselungsverfahren verschlüsselt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its DEK-Info header names a cipher OpenSSL does not support.</source>
        <translation>Sein DEK-Info-Header nennt ein Verschlüsselungsverfahren, das OpenSSL nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>PKCS#12 file</source>
        <translation>PKCS#12-Datei</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PKCS#12 structure</source>
        <translation>PKCS#12-Struktur</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+27"/>
        <source>the PKCS#12 file uses an algorithm OpenSSL 3 does not support by default</source>
        <translation>die PKCS#12-Datei verwendet einen Algorithmus, den OpenSSL 3 standardmäßig nicht unterstützt</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Convert it: &quot;openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes&quot;, or export it again with modern settings (AES-256, SHA-256).</source>
        <translation>Konvertieren Sie sie: „openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes“, oder exportieren Sie sie erneut mit modernen Einstellungen (AES-256, SHA-256).</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+30"/>
        <source>the PKCS#12 file is password-protected</source>
        <translation>die PKCS#12-Datei ist passwortgeschützt</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+30"/>
        <source>Enter the password it was exported with.</source>
        <translation>Geben Sie das Passwort ein, mit dem sie exportiert wurde.</translation>
    </message>
    <message>
        <location line="-29"/>
        <location line="+25"/>
        <source>wrong password for the PKCS#12 file</source>
        <translation>falsches Passwort für die PKCS#12-Datei</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Its integrity check failed with this password (OpenSSL: &quot;mac verify failure&quot;). Check the password, including upper and lower case.</source>
        <translation>Ihre Integritätsprüfung ist mit diesem Passwort fehlgeschlagen (OpenSSL: „mac verify failure“). Prüfen Sie das Passwort, auch auf Groß- und Kleinschreibung.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>It was probably exported with the old RC2/3DES settings. Convert it: &quot;openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes&quot;, or export it again with modern settings (AES-256, SHA-256).</source>
        <translation>Sie wurde vermutlich mit den alten RC2/3DES-Einstellungen exportiert. Konvertieren Sie sie: „openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes“, oder exportieren Sie sie erneut mit modernen Einstellungen (AES-256, SHA-256).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Its contents could not be decrypted with this password.</source>
        <translation>Ihr Inhalt konnte mit diesem Passwort nicht entschlüsselt werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>could not read the PKCS#12 file</source>
        <translation>die PKCS#12-Datei konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its contents are damaged or use a structure OpenSSL cannot read.</source>
        <translation>Ihr Inhalt ist beschädigt oder verwendet eine Struktur, die OpenSSL nicht lesen kann.</translation>
    </message>
</context>
<context>
    <name>vf::pki::PrivateKey</name>
    <message>
        <location filename="../core/pki/PrivateKey.cpp" line="+91"/>
        <source>traditional DSA</source>
        <translation>traditionelles DSA</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>no certificate or no private key to compare</source>
        <translation>kein Zertifikat oder kein privater Schlüssel zum Vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load both the certificate and the private key first.</source>
        <translation>Laden Sie zuerst sowohl das Zertifikat als auch den privaten Schlüssel.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>could not read the certificate&apos;s public key</source>
        <translation>der öffentliche Schlüssel des Zertifikats konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate&apos;s public key uses an algorithm this OpenSSL does not support.</source>
        <translation>Der öffentliche Schlüssel des Zertifikats verwendet einen Algorithmus, den dieses OpenSSL nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The certificate has a %1 key but this is a %2 key: they cannot belong together. Choose the key file that was created with the certificate request.</source>
        <translation>Das Zertifikat hat einen %1-Schlüssel, dies ist aber ein %2-Schlüssel: Sie können nicht zusammengehören. Wählen Sie die Schlüsseldatei, die mit der Zertifikatsanforderung erstellt wurde.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Both are %1 keys, but this private key is not the one the certificate was issued for. Choose the key file that was created with the certificate request, or the certificate that was issued for this key.</source>
        <translation>Beide sind %1-Schlüssel, aber dieser private Schlüssel ist nicht der, für den das Zertifikat ausgestellt wurde. Wählen Sie die Schlüsseldatei, die mit der Zertifikatsanforderung erstellt wurde, oder das Zertifikat, das für diesen Schlüssel ausgestellt wurde.</translation>
    </message>
</context>
<context>
    <name>vf::pki::SafeFileReader</name>
    <message>
        <location filename="../core/pki/SafeFileReader.cpp" line="+39"/>
        <location line="+5"/>
        <location line="+6"/>
        <source>file &quot;%1&quot; does not exist</source>
        <translation>Datei „%1“ existiert nicht</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>It is a symbolic link whose target does not exist. Point it at the real file or choose the file itself.</source>
        <translation>Es ist ein symbolischer Link, dessen Ziel nicht existiert. Lassen Sie ihn auf die tatsächliche Datei zeigen, oder wählen Sie die Datei selbst.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check the path. A relative path is resolved against the current directory.</source>
        <translation>Prüfen Sie den Pfad. Ein relativer Pfad wird vom aktuellen Verzeichnis aus aufgelöst.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A part of the path that should be a directory is a file.</source>
        <translation>Ein Teil des Pfads, der ein Verzeichnis sein sollte, ist eine Datei.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>file &quot;%1&quot; is a symbolic link loop</source>
        <translation>Datei „%1“ ist eine Schleife symbolischer Links</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The path follows symbolic links that point back to each other and never reach a file. Fix the links or choose the real file.</source>
        <translation>Der Pfad folgt symbolischen Links, die aufeinander verweisen und nie eine Datei erreichen. Korrigieren Sie die Links, oder wählen Sie die tatsächliche Datei.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+6"/>
        <source>could not open file &quot;%1&quot;: %2</source>
        <translation>Datei „%1“ konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>This user may not read the file or one of the directories above it. Change the permissions or copy the file somewhere readable.</source>
        <translation>Dieser Benutzer darf die Datei oder eines der darüberliegenden Verzeichnisse nicht lesen. Ändern Sie die Berechtigungen, oder kopieren Sie die Datei an einen lesbaren Ort.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file could not be opened.</source>
        <translation>Die Datei konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is a directory, not a file</source>
        <translation>„%1“ ist ein Verzeichnis, keine Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file inside the directory. (Only the CRL directory setting, sslcrldir, takes a directory.)</source>
        <translation>Wählen Sie eine Datei innerhalb des Verzeichnisses. (Nur die Einstellung für das CRL-Verzeichnis, sslcrldir, nimmt ein Verzeichnis auf.)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>special file</source>
        <translation>eine Spezialdatei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>named pipe (FIFO)</source>
        <translation>eine benannte Pipe (FIFO)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>device</source>
        <translation>ein Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>socket</source>
        <translation>einen Socket</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; is not a regular file</source>
        <translation>„%1“ ist keine gewöhnliche Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is a %1. Certificates, keys and CRLs must be ordinary files; it was not read.</source>
        <translation>Es handelt sich um %1. Zertifikate, Schlüssel und CRLs müssen gewöhnliche Dateien sein; die Datei wurde nicht gelesen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 bytes</source>
        <translation>%1 Byte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>more than %1 bytes</source>
        <translation>mehr als %1 Byte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>file &quot;%1&quot; is too large (%2)</source>
        <translation>Datei „%1“ ist zu groß (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate, key and CRL files are small; the limit is %1 MiB. This is probably not the file you meant.</source>
        <translation>Zertifikats-, Schlüssel- und CRL-Dateien sind klein; die Grenze liegt bei %1 MiB. Das ist vermutlich nicht die gemeinte Datei.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>no file name given</source>
        <translation>kein Dateiname angegeben</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a file.</source>
        <translation>Wählen Sie eine Datei.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>file &quot;%1&quot; is empty</source>
        <translation>Datei „%1“ ist leer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file has no content. It may not have been written completely, or the wrong file was chosen.</source>
        <translation>Die Datei hat keinen Inhalt. Sie wurde möglicherweise nicht vollständig geschrieben, oder es wurde die falsche Datei gewählt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>no directory name given</source>
        <translation>kein Verzeichnisname angegeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a directory.</source>
        <translation>Wählen Sie ein Verzeichnis.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>directory &quot;%1&quot; does not exist</source>
        <translation>Verzeichnis „%1“ existiert nicht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is not a directory</source>
        <translation>„%1“ ist kein Verzeichnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This setting takes a directory of CRL files named by issuer hash (as &quot;openssl rehash&quot; creates). A single CRL file belongs in the CRL file setting (sslcrl).</source>
        <translation>Diese Einstellung nimmt ein Verzeichnis mit CRL-Dateien auf, die nach Aussteller-Hash benannt sind (wie von „openssl rehash“ erzeugt). Eine einzelne CRL-Datei gehört in die Einstellung für die CRL-Datei (sslcrl).</translation>
    </message>
</context>
<context>
    <name>vf::report::ChainCheck</name>
    <message>
        <location filename="../core/report/ChainCheck.cpp" line="+29"/>
        <source>no certificate file given</source>
        <translation>keine Zertifikatsdatei angegeben</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no certificate found in &quot;%1&quot;</source>
        <translation>kein Zertifikat in „%1“ gefunden</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>no --root given: libpq&apos;s default root file %1</source>
        <translation>kein --root angegeben: Standard-Stammzertifikatsdatei von libpq %1</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Not verified: no root certificates were given.</source>
        <translation>Nicht geprüft: Es wurden keine Stammzertifikate angegeben.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the root certificate file with --root FILE, or --system for the system&apos;s trusted roots.</source>
        <translation>Geben Sie die Stammzertifikatsdatei mit --root DATEI an oder --system für die vertrauenswürdigen Stammzertifikate des Systems.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shown, not verified (no root certificates).</source>
        <translation>Angezeigt, nicht geprüft (keine Stammzertifikate).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not verified, and the certificate does not name %1.</source>
        <translation>Nicht geprüft, und das Zertifikat nennt %1 nicht.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Valid: the chain leads to a root in %1.</source>
        <translation>Gültig: Die Kette führt zu einem Stammzertifikat (Quelle: %1).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid for %1: the chain leads to a root in %2 and the certificate names the host.</source>
        <translation>Gültig für %1: Die Kette führt zu einem Stammzertifikat (Quelle: %2), und das Zertifikat nennt den Host.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Invalid: %1</source>
        <translation>Ungültig: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Invalid.</source>
        <translation>Ungültig.</translation>
    </message>
</context>
<context>
    <name>vf::report::Diagnosis</name>
    <message>
        <location filename="../core/report/Diagnosis.cpp" line="+41"/>
        <source>%1 and %2</source>
        <translation>%1 und %2</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>%1 is not set</source>
        <translation>%1 ist nicht gesetzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is set (%2)</source>
        <translation>%1 ist gesetzt (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: no file (no home directory)</source>
        <translation>%1: keine Datei (kein Home-Verzeichnis)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not set, so libpq uses its default file %2 (%3)</source>
        <translation>%1 ist nicht gesetzt, daher verwendet libpq seine Standarddatei %2 (%3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it exists</source>
        <translation>vorhanden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>it does not exist</source>
        <translation>nicht vorhanden</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 port %2</source>
        <translation>%1, Port %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the server certificate</source>
        <translation>das Serverzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the intermediate CA certificate</source>
        <translation>das Zwischenzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the root CA certificate</source>
        <translation>das Stammzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an extra certificate</source>
        <translation>ein zusätzliches Zertifikat</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the system&apos;s trusted roots (%1 certificates)</source>
        <translation>die vertrauenswürdigen Stammzertifikate des Systems (%1 Zertifikate)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no certificate</source>
        <translation>kein Zertifikat</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n weiteres</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>#%1 %2 issued by %3</source>
        <translation>#%1 %2, ausgestellt von %3</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The server sent %n certificate(s): %1</source>
        <translation>
            <numerusform>Der Server hat %n Zertifikat gesendet: %1</numerusform>
            <numerusform>Der Server hat %n Zertifikate gesendet: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>no CRL</source>
        <translation>keine CRL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CRLs from %1</source>
        <translation>CRLs von %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CRL file %1 holds %2</source>
        <translation>CRL-Datei %1 enthält %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>nothing readable (%1)</source>
        <translation>nichts Lesbares (%1)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>CRL directory %1 holds %2</source>
        <translation>CRL-Verzeichnis %1 enthält %2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>no root certificates</source>
        <translation>keine Stammzertifikate</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1391"/>
        <source>your root file %1</source>
        <translation>Ihre Stammzertifikatsdatei %1</translation>
    </message>
    <message>
        <location line="-1389"/>
        <location line="+1388"/>
        <source>the system&apos;s trusted roots</source>
        <translation>die vertrauenswürdigen Stammzertifikate des Systems</translation>
    </message>
    <message>
        <location line="-1339"/>
        <source>%1 holds %2</source>
        <translation>%1 enthält %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trusted: %1</source>
        <translation>Vertrauenswürdig: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Certificate #%1 %2 (%3): %4</source>
        <translation>Zertifikat #%1 %2 (%3): %4</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 holds a certificate named %2, but not the one that issued %3: the CA was probably renewed with a new key.</source>
        <translation>%1 enthält ein Zertifikat namens %2, aber nicht dasjenige, das %3 ausgestellt hat: Die CA wurde vermutlich mit einem neuen Schlüssel erneuert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates are matched by key, not by name. The %1 in %2 has SHA-256 fingerprint %3; the CA that signed %4 uses another key.</source>
        <translation>Zertifikate werden über den Schlüssel zugeordnet, nicht über den Namen. Das Zertifikat %1, das %2 enthält, hat den SHA-256-Fingerabdruck %3; die CA, die %4 signiert hat, verwendet einen anderen Schlüssel.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace %1 in %2 with the CA&apos;s current certificate (ask the server&apos;s administrator or the CA for it), or keep both during the changeover.</source>
        <translation>Ersetzen Sie %1 durch das aktuelle Zertifikat der CA und tragen Sie es in %2 ein (Sie erhalten es vom Administrator des Servers oder von der CA), oder behalten Sie während der Umstellung beide.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s chain leads to %1, which is not among the system&apos;s trusted roots.</source>
        <translation>Die Kette des Servers führt zu %1; dieses Zertifikat gehört nicht zu den vertrauenswürdigen Stammzertifikaten des Systems.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sslrootcert=system trusts the public certificate authorities of this computer. A server with a certificate from a private CA (or one that does not send its intermediate) cannot be verified that way.</source>
        <translation>sslrootcert=system vertraut den öffentlichen Zertifizierungsstellen dieses Computers. Ein Server mit einem Zertifikat einer privaten CA (oder einer, der sein Zwischenzertifikat nicht mitsendet) lässt sich so nicht prüfen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>For a private CA: set sslrootcert to a file with that CA&apos;s root certificate.</source>
        <translation>Bei einer privaten CA: Setzen Sie sslrootcert auf eine Datei mit dem Stammzertifikat dieser CA.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If %1 is an intermediate, the server has to send it: put the full chain into its ssl_cert_file.</source>
        <translation>Falls %1 ein Zwischenzertifikat ist, muss der Server es mitsenden: Tragen Sie die vollständige Kette in seine ssl_cert_file ein.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server did not send the intermediate %1 that issued its certificate, and %2 does not hold it.</source>
        <translation>Der Server hat das Zwischenzertifikat %1, das sein Zertifikat ausgestellt hat, nicht mitgesendet, und %2 enthält es nicht.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq builds the chain from the certificates the server sends plus your root certificates. The server sent only its own certificate %1, issued by %2; %3 holds %4, so the link between them is missing.</source>
        <translation>libpq bildet die Kette aus den Zertifikaten, die der Server sendet, und Ihren Stammzertifikaten. Der Server hat nur sein eigenes Zertifikat %1 gesendet, ausgestellt von %2; %3 enthält %4, daher fehlt das Bindeglied dazwischen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>On the server: configure ssl_cert_file with the full chain (the server certificate followed by the intermediate %1) and reload.</source>
        <translation>Auf dem Server: Konfigurieren Sie ssl_cert_file mit der vollständigen Kette (das Serverzertifikat, gefolgt vom Zwischenzertifikat %1) und laden Sie die Konfiguration neu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Or add the intermediate %1 to %2.</source>
        <translation>Oder nehmen Sie das Zwischenzertifikat %1 in %2 auf.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If %1 is itself a root CA, add it to %2.</source>
        <translation>Falls %1 selbst ein Stammzertifikat ist, nehmen Sie es in %2 auf.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 holds %2, but the server&apos;s chain ends at %3, which was issued by %4: add that root.</source>
        <translation>%1 enthält %2, aber die Kette des Servers endet bei %3, ausgestellt von %4: Nehmen Sie dieses Stammzertifikat auf.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The top certificate the server sent, %1, was issued by %2, and no certificate of that name is among your trusted roots.</source>
        <translation>Das oberste vom Server gesendete Zertifikat, %1, wurde von %2 ausgestellt, und unter Ihren vertrauenswürdigen Stammzertifikaten ist keines mit diesem Namen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add the root certificate %1 to %2 (get it from the CA or the server&apos;s administrator, and compare its fingerprint).</source>
        <translation>Nehmen Sie das Stammzertifikat %1 in %2 auf (besorgen Sie es von der CA oder vom Administrator des Servers und vergleichen Sie seinen Fingerabdruck).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 holds a certificate named %2, but the server&apos;s chain ends at a different %2 (another key): the CA was probably re-created.</source>
        <translation>%1 enthält ein Zertifikat namens %2, aber die Kette des Servers endet bei einem anderen %2 (anderer Schlüssel): Die CA wurde vermutlich neu erstellt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Yours has SHA-256 fingerprint %1, the server&apos;s root %2.</source>
        <translation>Ihres hat den SHA-256-Fingerabdruck %1, das Stammzertifikat des Servers %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace %1 in %2 with the root the server uses (SHA-256 %3), after checking that fingerprint with the server&apos;s administrator.</source>
        <translation>Ersetzen Sie %1 durch das Stammzertifikat, das der Server verwendet (SHA-256 %3), und tragen Sie es in %2 ein, nachdem Sie diesen Fingerabdruck mit dem Administrator des Servers abgeglichen haben.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 holds %2, but the server&apos;s chain ends at %3: add that root.</source>
        <translation>%1 enthält %2, aber die Kette des Servers endet bei %3: Nehmen Sie dieses Stammzertifikat auf.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server sent its whole chain up to the self-signed root %1. libpq accepts it only if that root is among your trusted root certificates, and it is not.</source>
        <translation>Der Server hat seine gesamte Kette bis zum selbstsignierten Stammzertifikat %1 gesendet. libpq akzeptiert sie nur, wenn dieses Stammzertifikat zu Ihren vertrauenswürdigen Stammzertifikaten gehört, und das ist nicht der Fall.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add the root certificate %1 (SHA-256 %2) to %3, after checking that fingerprint with the server&apos;s administrator.</source>
        <translation>Nehmen Sie das Stammzertifikat %1 (SHA-256 %2) in %3 auf, nachdem Sie diesen Fingerabdruck mit dem Administrator des Servers abgeglichen haben.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server uses a self-signed certificate %1 that %2 does not hold.</source>
        <translation>Der Server verwendet ein selbstsigniertes Zertifikat %1, das %2 nicht enthält.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A self-signed server certificate is its own root: it can only be trusted by putting exactly that certificate into your root file.</source>
        <translation>Ein selbstsigniertes Serverzertifikat ist sein eigenes Stammzertifikat: Man kann ihm nur vertrauen, indem man genau dieses Zertifikat in die Stammzertifikatsdatei aufnimmt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If you trust it, add it to %1 after checking its SHA-256 fingerprint %2 with the server&apos;s administrator.</source>
        <translation>Wenn Sie ihm vertrauen, nehmen Sie es in %1 auf, nachdem Sie seinen SHA-256-Fingerabdruck %2 mit dem Administrator des Servers abgeglichen haben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Better: have the server use a certificate issued by a CA you trust.</source>
        <translation>Besser: Lassen Sie den Server ein Zertifikat verwenden, das von einer CA ausgestellt wurde, der Sie vertrauen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 holds the intermediate %2 but not the root %3 that issued it.</source>
        <translation>%1 enthält das Zwischenzertifikat %2, aber nicht das Stammzertifikat %3, das es ausgestellt hat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq does not accept an intermediate CA as a trust anchor: the chain must end at a self-signed root certificate in your root file.</source>
        <translation>libpq akzeptiert keine Zwischen-CA als Vertrauensanker: Die Kette muss bei einem selbstsignierten Stammzertifikat in Ihrer Stammzertifikatsdatei enden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add the root certificate %1 to %2.</source>
        <translation>Nehmen Sie das Stammzertifikat %1 in %2 auf.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a certificate</source>
        <translation>ein Zertifikat</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1 %2 expired on %3 (%n day(s) ago).</source>
        <translation>
            <numerusform>%1 %2 ist am %3 abgelaufen (vor %n Tag).</numerusform>
            <numerusform>%1 %2 ist am %3 abgelaufen (vor %n Tagen).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2 is not valid before %3.</source>
        <translation>%1 %2 ist erst ab %3 gültig.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates are only accepted within their validity period (checked against this computer&apos;s clock: %1).</source>
        <translation>Zertifikate werden nur innerhalb ihres Gültigkeitszeitraums akzeptiert (geprüft anhand der Uhr dieses Computers: %1).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s administrator has to renew the server certificate (ssl_cert_file) and reload the server.</source>
        <translation>Der Administrator des Servers muss das Serverzertifikat (ssl_cert_file) erneuern und die Serverkonfiguration neu laden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replace %1 in %2 with the CA&apos;s current certificate.</source>
        <translation>Ersetzen Sie %1 durch das aktuelle Zertifikat der CA und tragen Sie es in %2 ein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server has to send the current %1: update its ssl_cert_file.</source>
        <translation>Der Server muss das aktuelle Zertifikat %1 senden: Aktualisieren Sie seine ssl_cert_file.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check this computer&apos;s date and time.</source>
        <translation>Prüfen Sie Datum und Uhrzeit dieses Computers.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 %2 (serial %3) has been revoked: the CRL of %4 lists it.</source>
        <translation>%1 %2 (Seriennummer %3) wurde gesperrt: Die CRL von %4 führt es auf.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the certificate</source>
        <translation>das Zertifikat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A revoked certificate must not be trusted any more (its key may have been stolen or it was replaced).</source>
        <translation>Einem gesperrten Zertifikat darf nicht mehr vertraut werden (sein Schlüssel wurde möglicherweise gestohlen, oder es wurde ersetzt).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server needs a new certificate; ask its administrator.</source>
        <translation>Der Server benötigt ein neues Zertifikat; wenden Sie sich an seinen Administrator.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If the CRL is wrong or outdated, update it (sslcrl / sslcrldir).</source>
        <translation>Falls die CRL falsch oder veraltet ist, aktualisieren Sie sie (sslcrl / sslcrldir).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CRL checking is on, and there is no CRL from %1, the issuer of %2 (unable to get certificate CRL).</source>
        <translation>Die CRL-Prüfung ist aktiv, und es gibt keine CRL von %1, dem Aussteller von %2 (unable to get certificate CRL).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add the CRL issued by %1 to the CRL file (several PEM CRLs can be concatenated) or to the CRL directory (named by `openssl rehash`).</source>
        <translation>Nehmen Sie die von %1 ausgestellte CRL in die CRL-Datei auf (mehrere PEM-CRLs können aneinandergehängt werden) oder legen Sie sie im CRL-Verzeichnis ab (benannt mit `openssl rehash`).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The CRL from %1 is out of date (%2).</source>
        <translation>Die CRL von %1 ist nicht aktuell (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL refuses a CRL outside its thisUpdate/nextUpdate window, and with it the whole chain.</source>
        <translation>OpenSSL lehnt eine CRL außerhalb ihres thisUpdate/nextUpdate-Zeitfensters ab und damit die gesamte Kette.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download a current CRL from %1 and replace the old one.</source>
        <translation>Laden Sie eine aktuelle CRL von %1 herunter und ersetzen Sie die alte.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not allowed to be used as a TLS server certificate.</source>
        <translation>%1 darf nicht als TLS-Serverzertifikat verwendet werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its extended key usage is %1; a server certificate needs TLS Web Server Authentication (serverAuth).</source>
        <translation>Seine erweiterte Schlüsselverwendung ist %1; ein Serverzertifikat benötigt TLS Web Server Authentication (serverAuth).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Have the certificate reissued with extendedKeyUsage=serverAuth.</source>
        <translation>Lassen Sie das Zertifikat mit extendedKeyUsage=serverAuth neu ausstellen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is used as a CA but may not sign certificates (%2).</source>
        <translation>%1 wird als CA verwendet, darf aber keine Zertifikate signieren (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A CA certificate needs basicConstraints CA:TRUE, keyUsage keyCertSign and a path length that allows the chain below it.</source>
        <translation>Ein CA-Zertifikat benötigt basicConstraints CA:TRUE, keyUsage keyCertSign und eine Pfadlänge, die die Kette darunter zulässt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reissue %1 as a proper CA certificate, or issue the server certificate from a real CA.</source>
        <translation>Stellen Sie %1 als korrektes CA-Zertifikat neu aus, oder lassen Sie das Serverzertifikat von einer echten CA ausstellen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The signature of %1 does not verify with the key of %2.</source>
        <translation>Die Signatur von %1 lässt sich mit dem Schlüssel von %2 nicht verifizieren.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate was changed or was not issued by the CA of that name.</source>
        <translation>Das Zertifikat wurde verändert oder nicht von der CA dieses Namens ausgestellt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get the genuine certificates from the CA; check that nothing in between replaces the server&apos;s certificate.</source>
        <translation>Besorgen Sie die echten Zertifikate von der CA; prüfen Sie, dass nichts auf dem Weg das Zertifikat des Servers austauscht.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 uses a key or signature too weak for OpenSSL&apos;s security level (%2).</source>
        <translation>%1 verwendet einen Schlüssel oder eine Signatur, die für die Sicherheitsstufe von OpenSSL zu schwach ist (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL on this computer refuses RSA keys under 2048 bits and SHA-1/MD5 signatures.</source>
        <translation>OpenSSL auf diesem Computer lehnt RSA-Schlüssel unter 2048 Bit sowie SHA-1/MD5-Signaturen ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reissue %1 with a stronger key (RSA 2048+ or EC P-256) and SHA-256.</source>
        <translation>Stellen Sie %1 mit einem stärkeren Schlüssel (RSA 2048+ oder EC P-256) und SHA-256 neu aus.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate chain does not verify: %1 at %2.</source>
        <translation>Die Zertifikatskette lässt sich nicht verifizieren: %1 bei %2.</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%1 %2 expires on %3 (in %n day(s)).</source>
        <translation>
            <numerusform>%1 %2 läuft am %3 ab (in %n Tag).</numerusform>
            <numerusform>%1 %2 läuft am %3 ab (in %n Tagen).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>After that date libpq refuses the chain.</source>
        <translation>Nach diesem Datum lehnt libpq die Kette ab.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Renew the server certificate in time.</source>
        <translation>Erneuern Sie das Serverzertifikat rechtzeitig.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make sure the renewed %1 is deployed before then.</source>
        <translation>Stellen Sie sicher, dass das erneuerte Zertifikat %1 vorher bereitgestellt wird.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revocation is not checked: the CRL locations could not be loaded.</source>
        <translation>Die Sperrung wird nicht geprüft: Die CRL-Quellen konnten nicht geladen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check sslcrl / sslcrldir: the file must be a readable PEM CRL.</source>
        <translation>Prüfen Sie sslcrl / sslcrldir: Die Datei muss eine lesbare PEM-CRL sein.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>DNS name</source>
        <translation>DNS-Name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>common name</source>
        <translation>Common Name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Certificate %1 %2: %3</source>
        <translation>Zertifikat, %1 %2: %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not compared (libpq ignores the common name when subjectAltName entries exist)</source>
        <translation>nicht verglichen (libpq ignoriert den Common Name, wenn subjectAltName-Einträge vorhanden sind)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>matches</source>
        <translation>stimmt überein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not match</source>
        <translation>stimmt nicht überein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode=verify-full needs a host name to compare with the certificate, and only an address (hostaddr) was given.</source>
        <translation>sslmode=verify-full benötigt einen Hostnamen zum Vergleich mit dem Zertifikat, es wurde aber nur eine Adresse (hostaddr) angegeben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set host to the name in the certificate (%1) and keep hostaddr for the address.</source>
        <translation>Setzen Sie host auf den Namen im Zertifikat (%1) und behalten Sie hostaddr für die Adresse bei.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq refuses the server certificate&apos;s names: %1</source>
        <translation>libpq lehnt die Namen im Serverzertifikat ab: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server certificate has to be reissued.</source>
        <translation>Das Serverzertifikat muss neu ausgestellt werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server certificate holds no name at all (no subjectAltName, no common name); you connected to %1.</source>
        <translation>Das Serverzertifikat enthält überhaupt keinen Namen (kein subjectAltName, kein Common Name); Sie haben sich mit %1 verbunden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server certificate names %1; you connected to %2.</source>
        <translation>Das Serverzertifikat nennt %1; Sie haben sich mit %2 verbunden.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Connect with one of those names (for example host=%1; add hostaddr=&lt;address&gt; if that name does not resolve from here).</source>
        <translation>Verbinden Sie sich mit einem dieser Namen (zum Beispiel host=%1; ergänzen Sie hostaddr=&lt;Adresse&gt;, falls sich dieser Name von hier aus nicht auflösen lässt).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Or have the certificate reissued with this name (subjectAltName %1:%2).</source>
        <translation>Oder lassen Sie das Zertifikat mit diesem Namen neu ausstellen (subjectAltName %1:%2).</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unknown encoding</source>
        <translation>unbekannte Kodierung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, encrypted</source>
        <translation>%1, verschlüsselt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 holds %2 (%3)</source>
        <translation>%1 enthält %2 (%3)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq reads certificates as PEM only; convert it: openssl x509 -inform DER -in %1 -out %2</source>
        <translation>libpq liest Zertifikate nur im PEM-Format; konvertieren Sie es: openssl x509 -inform DER -in %1 -out %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>It is a PKCS#12 bundle, which libpq cannot read; extract the key: openssl pkcs12 -in %1 -nocerts -nodes -out client.key (then chmod 0600 client.key)</source>
        <translation>Es ist ein PKCS#12-Bundle, das libpq nicht lesen kann; extrahieren Sie den Schlüssel: openssl pkcs12 -in %1 -nocerts -nodes -out client.key (danach chmod 0600 client.key)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It is a PKCS#12 bundle, which libpq cannot read; extract the certificates: openssl pkcs12 -in %1 -nokeys -out %2</source>
        <translation>Es ist ein PKCS#12-Bundle, das libpq nicht lesen kann; extrahieren Sie die Zertifikate: openssl pkcs12 -in %1 -nokeys -out %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An OpenSSH key cannot be used for TLS; use the private key that belongs to the client certificate.</source>
        <translation>Ein OpenSSH-Schlüssel kann nicht für TLS verwendet werden; verwenden Sie den privaten Schlüssel, der zum Clientzertifikat gehört.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>SQLSTATE %1</source>
        <translation>SQLSTATE %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server&apos;s pg_hba.conf has no line that accepts an unencrypted connection from %1 for user %2 to database %3.</source>
        <translation>Die pg_hba.conf des Servers enthält keine Zeile, die eine unverschlüsselte Verbindung von %1 für Benutzer %2 zur Datenbank %3 zulässt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This connection attempt was not encrypted. Servers commonly allow remote logins only over TLS (hostssl lines), so an unencrypted attempt finds no matching line.</source>
        <translation>Dieser Verbindungsversuch war nicht verschlüsselt. Server erlauben entfernte Anmeldungen häufig nur über TLS (hostssl-Zeilen), daher findet ein unverschlüsselter Versuch keine passende Zeile.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use TLS: sslmode=verify-full (or at least require), and fix the TLS failure if there is one above.</source>
        <translation>Verwenden Sie TLS: sslmode=verify-full (oder mindestens require), und beheben Sie den TLS-Fehler, falls oben einer aufgeführt ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Or ask the server&apos;s administrator to add a pg_hba.conf line for this user, database and address, and reload.</source>
        <translation>Oder bitten Sie den Administrator des Servers, eine pg_hba.conf-Zeile für diesen Benutzer, diese Datenbank und diese Adresse hinzuzufügen und die Konfiguration neu zu laden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s pg_hba.conf has no line that accepts a TLS connection from %1 for user %2 to database %3.</source>
        <translation>Die pg_hba.conf des Servers enthält keine Zeile, die eine TLS-Verbindung von %1 für Benutzer %2 zur Datenbank %3 zulässt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pg_hba.conf is checked top to bottom for a line matching the connection type (hostssl for TLS), database, user and client address; none matched.</source>
        <translation>pg_hba.conf wird von oben nach unten nach einer Zeile durchsucht, die zu Verbindungstyp (hostssl für TLS), Datenbank, Benutzer und Clientadresse passt; keine hat gepasst.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask the server&apos;s administrator to add a line such as &quot;hostssl %1 %2 %3/32 scram-sha-256&quot; to pg_hba.conf and reload the server.</source>
        <translation>Bitten Sie den Administrator des Servers, eine Zeile wie &quot;hostssl %1 %2 %3/32 scram-sha-256&quot; in pg_hba.conf einzutragen und den Server neu zu laden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check the user and database names you connect with.</source>
        <translation>Prüfen Sie die Benutzer- und Datenbanknamen, mit denen Sie sich verbinden.</translation>
    </message>
    <message>
        <location line="-352"/>
        <source>Because the CRL file or directory (sslcrl, sslcrldir) loaded, libpq lets OpenSSL check every certificate of the chain, intermediates included, and it needs a current CRL from each CA.</source>
        <translation>Weil die CRL-Datei oder das CRL-Verzeichnis (sslcrl, sslcrldir) geladen wurde, lässt libpq OpenSSL jedes Zertifikat der Kette prüfen, einschließlich der Zwischenzertifikate, und dafür wird von jeder CA eine aktuelle CRL benötigt.</translation>
    </message>
    <message>
        <location line="+270"/>
        <source>It is a PKCS#7 bundle, which libpq cannot read; convert it: %1</source>
        <extracomment>%1 is a shell command (openssl …), shown as is</extracomment>
        <translation>Es ist ein PKCS#7-Bundle, das libpq nicht lesen kann; konvertieren Sie es: %1</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>A &quot;reject&quot; line in the server&apos;s pg_hba.conf refuses this TLS connection.</source>
        <translation>Eine „reject“-Zeile in der pg_hba.conf des Servers lehnt diese TLS-Verbindung ab.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A &quot;reject&quot; line in the server&apos;s pg_hba.conf refuses this unencrypted connection.</source>
        <translation>Eine „reject“-Zeile in der pg_hba.conf des Servers lehnt diese unverschlüsselte Verbindung ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The first pg_hba.conf line that matches this connection type, user, database and address says reject.</source>
        <translation>Die erste Zeile in pg_hba.conf, die zu Verbindungstyp, Benutzer, Datenbank und Adresse dieser Verbindung passt, lautet „reject“.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server may only accept unencrypted connections for this user (hostnossl); ask its administrator to allow TLS.</source>
        <translation>Der Server akzeptiert für diesen Benutzer möglicherweise nur unverschlüsselte Verbindungen (hostnossl); bitten Sie seinen Administrator, TLS zuzulassen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect with TLS (sslmode=require or stronger): the server may accept this user only over TLS.</source>
        <translation>Verbinden Sie sich mit TLS (sslmode=require oder strenger): Der Server akzeptiert diesen Benutzer möglicherweise nur über TLS.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused the password for user %1.</source>
        <translation>Der Server hat das Passwort für Benutzer %1 abgelehnt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The password is wrong, the role has no password (or a stale MD5 one after switching to SCRAM), or it expired (VALID UNTIL). The server does not say which; its log does.</source>
        <translation>Das Passwort ist falsch, die Rolle hat kein Passwort (oder ein veraltetes MD5-Passwort nach der Umstellung auf SCRAM), oder es ist abgelaufen (VALID UNTIL). Der Server sagt nicht, was zutrifft; sein Log schon.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the password and where it comes from (see below).</source>
        <translation>Prüfen Sie das Passwort und woher es stammt (siehe unten).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An administrator can set it again: ALTER ROLE %1 PASSWORD &apos;…&apos;;</source>
        <translation>Ein Administrator kann es neu setzen: ALTER ROLE %1 PASSWORD &apos;…&apos;;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The password came from line %1 of the password file %2.</source>
        <translation>Das Passwort stammt aus Zeile %1 der Passwortdatei %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The database %1 does not exist on this server.</source>
        <translation>Die Datenbank %1 existiert auf diesem Server nicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq connects to one database; when dbname is not set it uses the user name.</source>
        <translation>libpq verbindet sich mit genau einer Datenbank; ist dbname nicht gesetzt, wird der Benutzername verwendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set dbname to an existing database (for example dbname=postgres), or create it.</source>
        <translation>Setzen Sie dbname auf eine vorhandene Datenbank (zum Beispiel dbname=postgres), oder legen Sie sie an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user (role) %1 does not exist on this server.</source>
        <translation>Der Benutzer (die Rolle) %1 existiert auf diesem Server nicht.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When user is not set, libpq uses your operating-system user name.</source>
        <translation>Ist user nicht gesetzt, verwendet libpq Ihren Benutzernamen im Betriebssystem.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set user to an existing role, or have it created (CREATE ROLE … LOGIN).</source>
        <translation>Setzen Sie user auf eine vorhandene Rolle, oder lassen Sie sie anlegen (CREATE ROLE … LOGIN).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server has no free connection slot.</source>
        <translation>Der Server hat keinen freien Verbindungsplatz.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max_connections is reached (some slots may be reserved for superusers or replication).</source>
        <translation>max_connections ist erreicht (einige Plätze sind möglicherweise für Superuser oder Replikation reserviert).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try again later, close idle sessions, use a connection pooler, or raise max_connections on the server.</source>
        <translation>Versuchen Sie es später erneut, schließen Sie inaktive Sitzungen, verwenden Sie einen Connection-Pooler oder erhöhen Sie max_connections auf dem Server.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server cannot accept connections right now: %1</source>
        <translation>Der Server kann derzeit keine Verbindungen annehmen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It is starting up, shutting down, or a standby in recovery that does not accept connections (hot_standby = off). libpq tries the next host, if any.</source>
        <translation>Er startet gerade, fährt herunter oder ist ein Standby im Recovery-Modus, der keine Verbindungen annimmt (hot_standby = off). libpq versucht gegebenenfalls den nächsten Host.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wait and try again, or connect to another server of the cluster.</source>
        <translation>Warten Sie und versuchen Sie es erneut, oder verbinden Sie sich mit einem anderen Server des Clusters.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User %1 may not connect to database %2.</source>
        <translation>Benutzer %1 darf sich nicht mit Datenbank %2 verbinden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The role lacks the CONNECT privilege on this database.</source>
        <translation>Der Rolle fehlt das CONNECT-Recht für diese Datenbank.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An administrator can grant it: GRANT CONNECT ON DATABASE %1 TO %2;</source>
        <translation>Ein Administrator kann es erteilen: GRANT CONNECT ON DATABASE %1 TO %2;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server refused the client certificate for user %1.</source>
        <translation>Der Server hat das Clientzertifikat für Benutzer %1 abgelehnt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With the cert method (or clientcert=verify-full) the certificate&apos;s common name must equal the user name (or map to it in pg_ident.conf), and it must be issued by a CA in the server&apos;s ssl_ca_file.</source>
        <translation>Bei der Methode cert (oder clientcert=verify-full) muss der Common Name des Zertifikats dem Benutzernamen entsprechen (oder in pg_ident.conf darauf abgebildet sein), und das Zertifikat muss von einer CA in der ssl_ca_file des Servers ausgestellt sein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect as the user the certificate names, or use a certificate whose CN is %1.</source>
        <translation>Verbinden Sie sich als der Benutzer, den das Zertifikat nennt, oder verwenden Sie ein Zertifikat mit dem CN %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check sslcert and sslkey (see below).</source>
        <translation>Prüfen Sie sslcert und sslkey (siehe unten).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A client certificate was sent.</source>
        <translation>Es wurde ein Clientzertifikat gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No client certificate was sent.</source>
        <translation>Es wurde kein Clientzertifikat gesendet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused the connection: %1</source>
        <translation>Der Server hat die Verbindung abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s own message says why; its log may have more detail.</source>
        <translation>Die Meldung des Servers nennt den Grund; sein Log enthält möglicherweise weitere Details.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the user, the authentication method in pg_hba.conf and the credentials.</source>
        <translation>Prüfen Sie den Benutzer, die Authentifizierungsmethode in pg_hba.conf und die Anmeldedaten.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Client and server have no TLS protocol version in common.</source>
        <translation>Client und Server haben keine gemeinsame TLS-Protokollversion.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq allows TLS versions from ssl_min_protocol_version (default TLSv1.2) to ssl_max_protocol_version; the server allows its own range (ssl_min_protocol_version and ssl_max_protocol_version in postgresql.conf). The two ranges do not overlap.</source>
        <translation>libpq erlaubt TLS-Versionen von ssl_min_protocol_version (Standard: TLSv1.2) bis ssl_max_protocol_version; der Server erlaubt seinen eigenen Bereich (ssl_min_protocol_version und ssl_max_protocol_version in postgresql.conf). Die beiden Bereiche überschneiden sich nicht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check ssl_min_protocol_version / ssl_max_protocol_version on both sides.</source>
        <translation>Prüfen Sie ssl_min_protocol_version / ssl_max_protocol_version auf beiden Seiten.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An old server that only speaks TLSv1.0/1.1 should be upgraded; lowering ssl_min_protocol_version is a stopgap that weakens the connection.</source>
        <translation>Ein alter Server, der nur TLSv1.0/1.1 beherrscht, sollte aktualisiert werden; ssl_min_protocol_version herabzusetzen ist eine Notlösung, die die Verbindung schwächt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What answered after the SSL request does not speak TLS.</source>
        <translation>Die Gegenstelle, die auf die SSL-Anfrage geantwortet hat, spricht kein TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bytes that came back are not a TLS handshake: a proxy or another service is listening on that port.</source>
        <translation>Die zurückgekommenen Bytes sind kein TLS-Handshake: Auf diesem Port lauscht ein Proxy oder ein anderer Dienst.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check host and port; make sure nothing in between terminates or rewrites the connection.</source>
        <translation>Prüfen Sie Host und Port; stellen Sie sicher, dass nichts dazwischen die Verbindung terminiert oder umschreibt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server requires a client certificate, and none was sent.</source>
        <translation>Der Server verlangt ein Clientzertifikat, es wurde aber keines gesendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server asks for a certificate (ssl_ca_file set and clientcert or the cert method in pg_hba.conf) and refuses the handshake without one.</source>
        <translation>Der Server fordert ein Zertifikat an (ssl_ca_file gesetzt und clientcert oder die Methode cert in pg_hba.conf) und lehnt den Handshake ohne eines ab.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set sslcert and sslkey to your client certificate and key (or put them at ~/.postgresql/postgresql.crt and postgresql.key).</source>
        <translation>Setzen Sie sslcert und sslkey auf Ihr Clientzertifikat und Ihren Schlüssel (oder legen Sie sie unter ~/.postgresql/postgresql.crt und postgresql.key ab).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server does not trust the CA that issued your client certificate.</source>
        <translation>Der Server vertraut der CA nicht, die Ihr Clientzertifikat ausgestellt hat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server checks client certificates against its ssl_ca_file; the issuer of yours is not there.</source>
        <translation>Der Server prüft Clientzertifikate gegen seine ssl_ca_file; der Aussteller Ihres Zertifikats ist dort nicht enthalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use a client certificate issued by the CA in the server&apos;s ssl_ca_file, or have that CA added there.</source>
        <translation>Verwenden Sie ein Clientzertifikat, das von der CA in der ssl_ca_file des Servers ausgestellt wurde, oder lassen Sie diese CA dort hinzufügen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server refused your client certificate because it has expired.</source>
        <translation>Der Server hat Ihr Clientzertifikat abgelehnt, weil es abgelaufen ist.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew the client certificate.</source>
        <translation>Erneuern Sie das Clientzertifikat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server refused your client certificate because it is revoked (ssl_crl_file).</source>
        <translation>Der Server hat Ihr Clientzertifikat abgelehnt, weil es gesperrt ist (ssl_crl_file).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get a new client certificate.</source>
        <translation>Besorgen Sie sich ein neues Clientzertifikat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server rejected the client certificate you sent.</source>
        <translation>Der Server hat das von Ihnen gesendete Clientzertifikat abgelehnt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server rejected the handshake because of a certificate problem.</source>
        <translation>Der Server hat den Handshake wegen eines Zertifikatsproblems abgelehnt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Possible reasons: it was not issued by a CA in the server&apos;s ssl_ca_file, it is not valid for client authentication (extendedKeyUsage clientAuth), or the chain to the server&apos;s CA is incomplete. The server log names the reason.</source>
        <translation>Mögliche Gründe: Es wurde nicht von einer CA in der ssl_ca_file des Servers ausgestellt, es ist nicht für die Clientauthentifizierung zugelassen (extendedKeyUsage clientAuth), oder die Kette zur CA des Servers ist unvollständig. Das Log des Servers nennt den Grund.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the client certificate against the server&apos;s ssl_ca_file.</source>
        <translation>Prüfen Sie das Clientzertifikat gegen die ssl_ca_file des Servers.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused the ALPN protocol &quot;postgresql&quot;.</source>
        <translation>Der Server hat das ALPN-Protokoll „postgresql“ abgelehnt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A TLS endpoint that expects another protocol (for example HTTP) answered.</source>
        <translation>Geantwortet hat ein TLS-Endpunkt, der ein anderes Protokoll erwartet (zum Beispiel HTTP).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check host and port, and sslnegotiation.</source>
        <translation>Prüfen Sie Host und Port sowie sslnegotiation.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server aborted the TLS handshake (no common cipher, curve or signature algorithm, or its own configuration problem).</source>
        <translation>Der Server hat den TLS-Handshake abgebrochen (keine gemeinsame Cipher-Suite, Kurve oder Signaturalgorithmus, oder ein Konfigurationsproblem auf seiner Seite).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Look at the server&apos;s log for the reason; check ssl_ciphers and ssl_ecdh_curve there.</source>
        <translation>Den Grund finden Sie im Log des Servers; prüfen Sie dort ssl_ciphers und ssl_ecdh_curve.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The TLS handshake failed: %1</source>
        <translation>Der TLS-Handshake ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The private key file %1 can be read by other users (mode %2), so libpq refuses to use it.</source>
        <translation>Die private Schlüsseldatei %1 ist für andere Benutzer lesbar (Modus %2), daher verweigert libpq ihre Verwendung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq requires u=rw (0600) or less for a key owned by you, or u=rw,g=r (0640) or less for a key owned by root.</source>
        <translation>libpq verlangt u=rw (0600) oder weniger für einen Schlüssel, der Ihnen gehört, bzw. u=rw,g=r (0640) oder weniger für einen Schlüssel, der root gehört.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restrict it: chmod 0600 %1</source>
        <translation>Schränken Sie die Rechte ein: chmod 0600 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: mode %2, owner uid %3</source>
        <translation>%1: Modus %2, Besitzer-UID %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A client certificate was found, but not its private key %1.</source>
        <translation>Ein Clientzertifikat wurde gefunden, aber nicht sein privater Schlüssel %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libpq uses the client certificate whenever the file exists (also its default ~/.postgresql/postgresql.crt), and then needs the key.</source>
        <translation>libpq verwendet das Clientzertifikat immer, wenn die Datei existiert (auch die Standarddatei ~/.postgresql/postgresql.crt), und benötigt dann den Schlüssel.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set sslkey to the key file of the certificate.</source>
        <translation>Setzen Sie sslkey auf die Schlüsseldatei des Zertifikats.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If you did not mean to send a client certificate, remove or rename the certificate file, or set sslcertmode=disable.</source>
        <translation>Wenn Sie kein Clientzertifikat senden wollten, entfernen Sie die Zertifikatsdatei oder benennen Sie sie um, oder setzen Sie sslcertmode=disable.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The passphrase in sslpassword does not open the encrypted key %1.</source>
        <translation>Mit der Passphrase in sslpassword lässt sich der verschlüsselte Schlüssel %1 nicht öffnen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key %1 is encrypted, and no passphrase (or a wrong one) was given.</source>
        <translation>Der Schlüssel %1 ist verschlüsselt, und es wurde keine (oder eine falsche) Passphrase angegeben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An encrypted private key can only be used with its passphrase (OpenSSL reports &quot;bad decrypt&quot;).</source>
        <translation>Ein verschlüsselter privater Schlüssel kann nur mit seiner Passphrase verwendet werden (OpenSSL meldet „bad decrypt“).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Correct sslpassword.</source>
        <translation>Korrigieren Sie sslpassword.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslpassword (in a service file or the connection string), or type the passphrase when asked (verifyfull-cli asks on a terminal).</source>
        <translation>Setzen Sie sslpassword (in einer Servicedatei oder der Verbindungszeichenfolge), oder geben Sie die Passphrase ein, wenn danach gefragt wird (verifyfull-cli fragt in einem Terminal danach).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Or store the key unencrypted, readable only by you: openssl pkey -in %1 -out client.key &amp;&amp; chmod 0600 client.key</source>
        <translation>Oder speichern Sie den Schlüssel unverschlüsselt und nur für Sie lesbar: openssl pkey -in %1 -out client.key &amp;&amp; chmod 0600 client.key</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The private key %1 does not belong to the client certificate.</source>
        <translation>Der private Schlüssel %1 gehört nicht zum Clientzertifikat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A certificate and its key are a pair; libpq checks that they match.</source>
        <translation>Ein Zertifikat und sein Schlüssel bilden ein Paar; libpq prüft, ob sie zusammenpassen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslkey to the key the certificate was issued for (or sslcert to the matching certificate).</source>
        <translation>Setzen Sie sslkey auf den Schlüssel, für den das Zertifikat ausgestellt wurde (oder sslcert auf das passende Zertifikat).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>libpq cannot use the private key file %1.</source>
        <translation>libpq kann die private Schlüsseldatei %1 nicht verwenden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq reads the key as PEM, or else DER (PKCS#1, SEC1 or PKCS#8).</source>
        <translation>libpq liest den Schlüssel als PEM oder andernfalls als DER (PKCS#1, SEC1 oder PKCS#8).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>sslmode=%1 needs root certificates, and without a home directory there is no default root file.</source>
        <translation>sslmode=%1 benötigt Stammzertifikate, und ohne Home-Verzeichnis gibt es keine Standard-Stammzertifikatsdatei.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>sslmode=%1 checks the server against root certificates, and the root file %2 does not exist.</source>
        <translation>sslmode=%1 prüft den Server gegen Stammzertifikate, und die Stammzertifikatsdatei %2 existiert nicht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq stops before the TLS handshake: without trusted roots nothing can be verified.</source>
        <translation>libpq bricht vor dem TLS-Handshake ab: Ohne vertrauenswürdige Stammzertifikate lässt sich nichts prüfen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Get the root certificate of the CA that issued the server&apos;s certificate (from the server&apos;s administrator or your cloud provider) and set sslrootcert to it, or save it as ~/.postgresql/root.crt.</source>
        <translation>Besorgen Sie das Stammzertifikat der CA, die das Zertifikat des Servers ausgestellt hat (vom Administrator des Servers oder Ihrem Cloud-Anbieter), und setzen Sie sslrootcert darauf, oder speichern Sie es als ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For a server whose certificate comes from a public CA, use sslrootcert=system.</source>
        <translation>Für einen Server mit einem Zertifikat einer öffentlichen CA verwenden Sie sslrootcert=system.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verifyfull-cli inspect shows the chain the server presents.</source>
        <translation>verifyfull-cli inspect zeigt die Kette, die der Server vorlegt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq does not expand &quot;~&quot;: write the full path (for example %1).</source>
        <translation>libpq erweitert „~“ nicht: Geben Sie den vollständigen Pfad an (zum Beispiel %1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A relative path is looked up from the current directory: use an absolute path.</source>
        <translation>Ein relativer Pfad wird vom aktuellen Verzeichnis aus gesucht: Verwenden Sie einen absoluten Pfad.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The root file %1 exists, but OpenSSL cannot read certificates from it.</source>
        <translation>Die Stammzertifikatsdatei %1 existiert, aber OpenSSL kann keine Zertifikate daraus lesen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq reads sslrootcert as PEM (one or more &quot;BEGIN CERTIFICATE&quot; blocks). Because the file exists, libpq uses it with every sslmode, so every TLS attempt fails.</source>
        <translation>libpq liest sslrootcert als PEM (ein oder mehrere „BEGIN CERTIFICATE“-Blöcke). Da die Datei existiert, verwendet libpq sie bei jedem sslmode, sodass jeder TLS-Versuch fehlschlägt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replace it with the CA&apos;s root certificate in PEM form.</source>
        <translation>Ersetzen Sie sie durch das Stammzertifikat der CA im PEM-Format.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>OpenSSL could not load the system&apos;s trusted roots.</source>
        <translation>OpenSSL konnte die vertrauenswürdigen Stammzertifikate des Systems nicht laden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Install the ca-certificates package, or check SSL_CERT_FILE / SSL_CERT_DIR.</source>
        <translation>Installieren Sie das Paket ca-certificates, oder prüfen Sie SSL_CERT_FILE / SSL_CERT_DIR.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The server&apos;s certificate chain did not verify.</source>
        <translation>Die Zertifikatskette des Servers konnte nicht verifiziert werden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s certificate chain did not verify: %1 (certificate #%2).</source>
        <translation>Die Zertifikatskette des Servers konnte nicht verifiziert werden: %1 (Zertifikat #%2).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq checks the chain against the trusted roots (sslrootcert).</source>
        <translation>libpq prüft die Kette gegen die vertrauenswürdigen Stammzertifikate (sslrootcert).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run verifyfull-cli inspect to see the chain the server presents.</source>
        <translation>Führen Sie verifyfull-cli inspect aus, um die Kette zu sehen, die der Server vorlegt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>channel_binding=require needs TLS, and this connection is not encrypted.</source>
        <translation>channel_binding=require benötigt TLS, und diese Verbindung ist nicht verschlüsselt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use sslmode=verify-full (or require) together with channel_binding=require.</source>
        <translation>Verwenden Sie sslmode=verify-full (oder require) zusammen mit channel_binding=require.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server offered channel binding over an unencrypted connection, which a genuine server never does.</source>
        <translation>Der Server hat Channel Binding über eine unverschlüsselte Verbindung angeboten, was ein echter Server nie tut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Someone in between may have stripped TLS from the connection.</source>
        <translation>Möglicherweise hat jemand dazwischen TLS aus der Verbindung entfernt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use sslmode=verify-full and find out what is between you and the server.</source>
        <translation>Verwenden Sie sslmode=verify-full und finden Sie heraus, was sich zwischen Ihnen und dem Server befindet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>channel_binding=require, but the server asked for an authentication method without channel binding.</source>
        <translation>channel_binding=require, aber der Server hat eine Authentifizierungsmethode ohne Channel Binding angefordert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>channel_binding=require, but the server authenticated with %1, without channel binding.</source>
        <translation>channel_binding=require, aber der Server hat mit %1 authentifiziert, ohne Channel Binding.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Channel binding needs SCRAM-SHA-256 over TLS (SCRAM-SHA-256-PLUS). The server uses another method for this user (md5, password, trust, cert), the role&apos;s password is stored as MD5, or a connection pooler in between cannot bind.</source>
        <translation>Channel Binding erfordert SCRAM-SHA-256 über TLS (SCRAM-SHA-256-PLUS). Der Server verwendet für diesen Benutzer eine andere Methode (md5, password, trust, cert), das Passwort der Rolle ist als MD5 gespeichert, oder ein Connection-Pooler dazwischen kann keine Bindung herstellen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On the server: use scram-sha-256 in pg_hba.conf, set password_encryption = scram-sha-256 and set the password again.</source>
        <translation>Auf dem Server: Verwenden Sie scram-sha-256 in pg_hba.conf, setzen Sie password_encryption = scram-sha-256 und setzen Sie das Passwort neu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Or set channel_binding=prefer (then it is used whenever possible).</source>
        <translation>Oder setzen Sie channel_binding=prefer (dann wird es verwendet, wann immer es möglich ist).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s authentication method is not one require_auth allows.</source>
        <translation>Die Authentifizierungsmethode des Servers gehört nicht zu denen, die require_auth zulässt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change require_auth, or the method in the server&apos;s pg_hba.conf.</source>
        <translation>Ändern Sie require_auth oder die Methode in der pg_hba.conf des Servers.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sslcertmode=require, but the server never asked for a client certificate.</source>
        <translation>sslcertmode=require, aber der Server hat nie ein Clientzertifikat angefordert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server only asks when ssl_ca_file is set.</source>
        <translation>Der Server fordert nur dann eines an, wenn ssl_ca_file gesetzt ist.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configure ssl_ca_file on the server, or set sslcertmode=allow.</source>
        <translation>Konfigurieren Sie ssl_ca_file auf dem Server, oder setzen Sie sslcertmode=allow.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sslcertmode=require, but no client certificate was sent.</source>
        <translation>sslcertmode=require, aber es wurde kein Clientzertifikat gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslcert and sslkey (or use ~/.postgresql/postgresql.crt and postgresql.key).</source>
        <translation>Setzen Sie sslcert und sslkey (oder verwenden Sie ~/.postgresql/postgresql.crt und postgresql.key).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server asks for a password, and none was given.</source>
        <translation>Der Server verlangt ein Passwort, es wurde aber keines angegeben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq takes the password from the password setting, PGPASSWORD, or a matching line of the password file (~/.pgpass, format host:port:database:user:password, mode 0600).</source>
        <translation>libpq nimmt das Passwort aus der Einstellung password, aus PGPASSWORD oder aus einer passenden Zeile der Passwortdatei (~/.pgpass, Format host:port:database:user:password, Modus 0600).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Provide the password (password=…, PGPASSWORD, or a ~/.pgpass line).</source>
        <translation>Geben Sie das Passwort an (password=…, PGPASSWORD oder eine Zeile in ~/.pgpass).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No line of %1 matches %2:%3:%4:%5.</source>
        <translation>Keine Zeile von %1 passt zu %2:%3:%4:%5.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server asks for an authentication method this client cannot perform: %1</source>
        <translation>Der Server verlangt eine Authentifizierungsmethode, die dieser Client nicht beherrscht: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use another method in pg_hba.conf for this user (scram-sha-256, cert).</source>
        <translation>Verwenden Sie für diesen Benutzer eine andere Methode in pg_hba.conf (scram-sha-256, cert).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The host name %1 does not resolve to an address.</source>
        <translation>Der Hostname %1 lässt sich nicht in eine Adresse auflösen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the spelling of host and your DNS (or /etc/hosts).</source>
        <translation>Prüfen Sie die Schreibweise von host und Ihr DNS (oder /etc/hosts).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Or keep host for the certificate check and add hostaddr=&lt;IP address&gt;.</source>
        <translation>Oder behalten Sie host für die Zertifikatsprüfung bei und ergänzen Sie hostaddr=&lt;IP-Adresse&gt;.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing accepted the connection at %1.</source>
        <translation>Unter %1 hat niemand die Verbindung angenommen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No server listens there: PostgreSQL is not running, listens on another port or address (listen_addresses defaults to localhost only), or a firewall rejects the connection.</source>
        <translation>Dort lauscht kein Server: PostgreSQL läuft nicht, lauscht auf einem anderen Port oder einer anderen Adresse (listen_addresses ist standardmäßig nur localhost), oder eine Firewall weist die Verbindung ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check that the server is running and listens on port %1 (SHOW port; SHOW listen_addresses;).</source>
        <translation>Prüfen Sie, ob der Server läuft und auf Port %1 lauscht (SHOW port; SHOW listen_addresses;).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check host and port, and any firewall in between.</source>
        <translation>Prüfen Sie Host und Port sowie alle Firewalls dazwischen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server at %1 did not accept the connection in time.</source>
        <translation>Der Server unter %1 hat die Verbindung nicht rechtzeitig angenommen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the address is right and that no firewall silently drops the packets.</source>
        <translation>Prüfen Sie, ob die Adresse stimmt und keine Firewall die Pakete stillschweigend verwirft.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no server socket at %1.</source>
        <translation>Unter %1 gibt es keinen Server-Socket.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The local server is not running, or it puts its socket in another directory (unix_socket_directories).</source>
        <translation>Der lokale Server läuft nicht, oder er legt seinen Socket in einem anderen Verzeichnis an (unix_socket_directories).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the server, or set host to the socket directory it uses, or connect over TCP (host=localhost).</source>
        <translation>Starten Sie den Server, setzen Sie host auf das Socket-Verzeichnis, das er verwendet, oder verbinden Sie sich über TCP (host=localhost).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The connection to %1 failed: %2</source>
        <translation>Die Verbindung zu %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check host, port and the network path to the server.</source>
        <translation>Prüfen Sie Host, Port und den Netzwerkpfad zum Server.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not answer in time during %1.</source>
        <translation>Der Server hat in der Phase „%1“ nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the server&apos;s load and the network; raise --timeout or connect_timeout if it is just slow.</source>
        <translation>Prüfen Sie die Last des Servers und das Netzwerk; erhöhen Sie --timeout oder connect_timeout, falls er nur langsam ist.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A server that never answers the TLS handshake may not be PostgreSQL, or expects sslnegotiation=direct.</source>
        <translation>Ein Server, der nie auf den TLS-Handshake antwortet, ist möglicherweise kein PostgreSQL-Server oder erwartet sslnegotiation=direct.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+416"/>
        <source>The check was canceled.</source>
        <translation>Die Prüfung wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="-413"/>
        <source>gssencmode=require cannot work here.</source>
        <translation>gssencmode=require kann hier nicht funktionieren.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use gssencmode=prefer or disable.</source>
        <translation>Verwenden Sie gssencmode=prefer oder disable.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server did not agree to TLS.</source>
        <translation>Der Server hat TLS nicht zugestimmt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing could be inspected: the connection would not be encrypted.</source>
        <translation>Es konnte nichts untersucht werden: Die Verbindung wäre nicht verschlüsselt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable ssl on the server, or check sslmode (disable never uses TLS).</source>
        <translation>Aktivieren Sie ssl auf dem Server, oder prüfen Sie sslmode (disable verwendet nie TLS).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server does not offer TLS at all: it answered &apos;N&apos; to the SSL request.</source>
        <translation>Der Server bietet überhaupt kein TLS an: Er hat auf die SSL-Anfrage mit &apos;N&apos; geantwortet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ssl is off in the server&apos;s postgresql.conf, or a connection pooler or proxy in between does not do TLS.</source>
        <translation>ssl ist in der postgresql.conf des Servers ausgeschaltet, oder ein Connection-Pooler bzw. Proxy dazwischen beherrscht kein TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On the server: set ssl = on with ssl_cert_file and ssl_key_file, then reload.</source>
        <translation>Auf dem Server: Setzen Sie ssl = on mit ssl_cert_file und ssl_key_file und laden Sie dann die Konfiguration neu.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With a pooler (for example PgBouncer), enable TLS for clients there.</source>
        <translation>Bei einem Connection-Pooler (zum Beispiel PgBouncer) aktivieren Sie dort TLS für Clients.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server answered the SSL request with an error instead of TLS.</source>
        <translation>Der Server hat auf die SSL-Anfrage mit einem Fehler statt mit TLS geantwortet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try again later and look at the server&apos;s log.</source>
        <translation>Versuchen Sie es später erneut und sehen Sie im Log des Servers nach.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What answered does not speak the PostgreSQL protocol.</source>
        <translation>Die antwortende Gegenstelle spricht nicht das PostgreSQL-Protokoll.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check host and port: another service (or a TLS-only proxy) listens there.</source>
        <translation>Prüfen Sie Host und Port: Dort lauscht ein anderer Dienst (oder ein reiner TLS-Proxy).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Data arrived outside TLS right after the server agreed to TLS.</source>
        <translation>Unmittelbar nachdem der Server TLS zugestimmt hat, kamen Daten außerhalb von TLS an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Treat this as an attack (CVE-2021-23222) or a broken proxy: find out what is between you and the server.</source>
        <translation>Behandeln Sie dies als Angriff (CVE-2021-23222) oder als defekten Proxy: Finden Sie heraus, was sich zwischen Ihnen und dem Server befindet.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq cannot read the client certificate %1.</source>
        <translation>libpq kann das Clientzertifikat %1 nicht lesen.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The server certificate does not name the host you connected to.</source>
        <translation>Das Serverzertifikat nennt nicht den Host, mit dem Sie sich verbunden haben.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server closed the connection during the TLS handshake.</source>
        <translation>Der Server hat die Verbindung während des TLS-Handshakes geschlossen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server closed the connection unexpectedly.</source>
        <translation>Der Server hat die Verbindung unerwartet geschlossen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Common causes: the server rejected the client certificate (some servers just close), it crashed or was restarted, it hit a limit, or a proxy or firewall cut the connection. The server&apos;s log says which.</source>
        <translation>Häufige Ursachen: Der Server hat das Clientzertifikat abgelehnt (manche Server schließen einfach die Verbindung), er ist abgestürzt oder wurde neu gestartet, er hat ein Limit erreicht, oder ein Proxy bzw. eine Firewall hat die Verbindung getrennt. Das Log des Servers nennt die Ursache.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server asked for a client certificate, and one was sent.</source>
        <translation>Der Server hat ein Clientzertifikat angefordert, und es wurde eines gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server asked for a client certificate, and none was sent.</source>
        <translation>Der Server hat ein Clientzertifikat angefordert, und es wurde keines gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not ask for a client certificate.</source>
        <translation>Der Server hat kein Clientzertifikat angefordert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look at the server&apos;s log at the time of this attempt.</source>
        <translation>Sehen Sie im Log des Servers zum Zeitpunkt dieses Versuchs nach.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>With sslnegotiation=direct the server has to agree on ALPN &quot;postgresql&quot;, and it did not.</source>
        <translation>Bei sslnegotiation=direct muss der Server ALPN „postgresql“ zustimmen, und das hat er nicht getan.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use sslnegotiation=postgres, or connect to a PostgreSQL 17+ server (or a proxy that supports direct TLS).</source>
        <translation>Verwenden Sie sslnegotiation=postgres, oder verbinden Sie sich mit einem Server ab PostgreSQL 17 (oder einem Proxy, der direktes TLS unterstützt).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server completed the TLS handshake without presenting a certificate.</source>
        <translation>Der Server hat den TLS-Handshake abgeschlossen, ohne ein Zertifikat vorzulegen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq needs the server&apos;s certificate (anonymous cipher suites are not accepted).</source>
        <translation>libpq benötigt das Zertifikat des Servers (anonyme Cipher-Suites werden nicht akzeptiert).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configure ssl_cert_file and ssl_key_file on the server (or the proxy in between).</source>
        <translation>Konfigurieren Sie ssl_cert_file und ssl_key_file auf dem Server (oder dem Proxy dazwischen).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Channel binding cannot be computed for the server&apos;s certificate.</source>
        <translation>Für das Zertifikat des Servers lässt sich kein Channel Binding berechnen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SCRAM channel binding hashes the server certificate with its signature&apos;s hash algorithm; this certificate&apos;s algorithm has none.</source>
        <translation>SCRAM-Channel-Binding bildet den Hash des Serverzertifikats mit dem Hash-Algorithmus seiner Signatur; der Algorithmus dieses Zertifikats hat keinen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use a server certificate signed with RSA or ECDSA and SHA-256, or set channel_binding=disable for this server.</source>
        <translation>Verwenden Sie ein Serverzertifikat, das mit RSA oder ECDSA und SHA-256 signiert ist, oder setzen Sie channel_binding=disable für diesen Server.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The connection failed: %1</source>
        <translation>Die Verbindung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3.</source>
        <translation>Verwenden Sie TLSv1, TLSv1.1, TLSv1.2 oder TLSv1.3.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>sslrootcert is not set, so libpq uses its default file %1</source>
        <translation>sslrootcert ist nicht gesetzt, daher verwendet libpq seine Standarddatei %1</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Only the TLS handshake was performed; authentication was not attempted.</source>
        <translation>Es wurde nur der TLS-Handshake durchgeführt; eine Authentifizierung wurde nicht versucht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected over a Unix-domain socket: libpq never uses TLS there.</source>
        <translation>Über einen Unix-Domain-Socket verbunden: libpq verwendet dort nie TLS.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The traffic stays inside this computer; the sslmode and certificate settings do not apply to it.</source>
        <translation>Der Datenverkehr bleibt auf diesem Computer; sslmode und die Zertifikatseinstellungen gelten dafür nicht.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Connected WITHOUT encryption: sslmode=disable never uses TLS.</source>
        <translation>OHNE Verschlüsselung verbunden: sslmode=disable verwendet nie TLS.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connected WITHOUT encryption: sslmode=allow tries TLS only when the server refuses an unencrypted connection.</source>
        <translation>OHNE Verschlüsselung verbunden: sslmode=allow versucht TLS nur, wenn der Server eine unverschlüsselte Verbindung ablehnt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connected WITHOUT encryption: the TLS attempt failed and sslmode=%1 silently fell back to plaintext.</source>
        <translation>OHNE Verschlüsselung verbunden: Der TLS-Versuch ist fehlgeschlagen, und sslmode=%1 ist stillschweigend auf Klartext zurückgefallen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Everything, passwords included, crossed the network unencrypted, and nobody checked who answered.</source>
        <translation>Alles, einschließlich Passwörter, ging unverschlüsselt über das Netzwerk, und niemand hat geprüft, wer geantwortet hat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set sslmode=verify-full (or at least require): libpq then refuses to continue without TLS.</source>
        <translation>Setzen Sie sslmode=verify-full (oder mindestens require): libpq verweigert dann das Fortfahren ohne TLS.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server does not offer TLS: set ssl = on in its postgresql.conf.</source>
        <translation>Der Server bietet kein TLS an: Setzen Sie ssl = on in seiner postgresql.conf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The password (%1) was sent over the unencrypted connection.</source>
        <translation>Das Passwort (%1) wurde über die unverschlüsselte Verbindung gesendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use TLS, and scram-sha-256 on the server.</source>
        <translation>Verwenden Sie TLS und auf dem Server scram-sha-256.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>a root</source>
        <translation>einem Stammzertifikat</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server proved its identity: its chain leads to %1 in %2, and its certificate names %3.</source>
        <translation>Der Server hat seine Identität nachgewiesen: Seine Kette führt zu %1 (Quelle: %2), und sein Zertifikat nennt %3.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your sslmode=require behaves as verify-ca because %1 exists: the chain was checked, the host name was not.</source>
        <translation>Ihr sslmode=require verhält sich wie verify-ca, weil %1 existiert: Die Kette wurde geprüft, der Hostname nicht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate chain was verified, but sslmode=%1 does not check the host name.</source>
        <translation>Die Zertifikatskette wurde verifiziert, aber sslmode=%1 prüft den Hostnamen nicht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any server holding a certificate from the same CA would have been accepted.</source>
        <translation>Jeder Server mit einem Zertifikat derselben CA wäre akzeptiert worden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate names %1: set sslmode=verify-full.</source>
        <translation>Das Zertifikat nennt %1: Setzen Sie sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verify-full would fail here: %1</source>
        <translation>verify-full würde hier scheitern: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The connection is encrypted, but the server&apos;s identity was not checked: sslmode=%1 without root certificates accepts any certificate.</source>
        <translation>Die Verbindung ist verschlüsselt, aber die Identität des Servers wurde nicht geprüft: sslmode=%1 ohne Stammzertifikate akzeptiert jedes Zertifikat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A man-in-the-middle presenting its own certificate would not be noticed.</source>
        <translation>Ein Man-in-the-Middle, der sein eigenes Zertifikat vorlegt, würde nicht bemerkt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s chain verifies against the system&apos;s trusted roots: use sslrootcert=system (which implies sslmode=verify-full).</source>
        <translation>Die Kette des Servers lässt sich gegen die vertrauenswürdigen Stammzertifikate des Systems verifizieren: Verwenden Sie sslrootcert=system (was sslmode=verify-full impliziert).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Get the root certificate %1 (SHA-256 %2) from the server&apos;s administrator, check that fingerprint, save it as ~/.postgresql/root.crt and set sslmode=verify-full.</source>
        <translation>Besorgen Sie das Stammzertifikat %1 (SHA-256 %2) vom Administrator des Servers, prüfen Sie diesen Fingerabdruck, speichern Sie es als ~/.postgresql/root.crt und setzen Sie sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Get the root certificate of %1 (which issued %2), save it as ~/.postgresql/root.crt and set sslmode=verify-full.</source>
        <translation>Besorgen Sie das Stammzertifikat von %1 (dem Aussteller von %2), speichern Sie es als ~/.postgresql/root.crt und setzen Sie sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>SCRAM authentication without channel binding: the server did not offer SCRAM-SHA-256-PLUS (a pooler in between, or the server&apos;s TLS library).</source>
        <translation>SCRAM-Authentifizierung ohne Channel Binding: Der Server hat SCRAM-SHA-256-PLUS nicht angeboten (ein Connection-Pooler dazwischen oder die TLS-Bibliothek des Servers).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server asked for the password in clear text (method &quot;password&quot;); TLS protected it on the way, but the server sees it. scram-sha-256 is better.</source>
        <translation>Der Server hat das Passwort im Klartext angefordert (Methode „password“); TLS hat es auf dem Weg geschützt, aber der Server sieht es. scram-sha-256 ist besser.</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>TLS handshake with %1 succeeded: %2, %3.</source>
        <translation>TLS-Handshake mit %1 erfolgreich: %2, %3.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to %1 with %2 (%3) as %4, sslmode=%5.</source>
        <translation>Mit %1 über %2 (%3) als %4 verbunden, sslmode=%5.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connected to the socket %1 as %2.</source>
        <translation>Mit dem Socket %1 als %2 verbunden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to %1 WITHOUT encryption as %2, sslmode=%3.</source>
        <translation>OHNE Verschlüsselung mit %1 als %2 verbunden, sslmode=%3.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+1"/>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>vf::report::ReportText</name>
    <message>
        <location filename="../core/report/ReportText.cpp" line="+72"/>
        <source>subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+117"/>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <location line="-117"/>
        <source>%1 to %2 (%3)</source>
        <translation>%1 bis %2 (%3)</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>noch %n Tag</numerusform>
            <numerusform>noch %n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>expired %n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag abgelaufen</numerusform>
            <numerusform>vor %n Tagen abgelaufen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> bits</source>
        <translation> Bit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, CA</source>
        <translation>, CA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>ERROR</source>
        <translation>FEHLER</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WARNING</source>
        <translation>WARNUNG</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>NOTE</source>
        <translation>HINWEIS</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq: %1</source>
        <translation>libpq: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Fix: %1</source>
        <translation>Abhilfe: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seen: %1</source>
        <translation>Befund: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>verifyfull-cli %1: %2</source>
        <translation>verifyfull-cli %1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(settings from the environment)</source>
        <translation>(Einstellungen aus der Umgebung)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>socket %1</source>
        <translation>Socket %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2) port %3</source>
        <translation>%1 (%2), Port %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 port %2</source>
        <translation>%1, Port %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempt %1: %2</source>
        <translation>Versuch %1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+47"/>
        <location line="+61"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>FAILED</source>
        <translation>FEHLGESCHLAGEN</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 try: %2</source>
        <translation>Versuch mit %1: %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 try (same connection): %2</source>
        <translation>Versuch mit %1 (dieselbe Verbindung): %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not finished</source>
        <translation>nicht abgeschlossen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>TLS: %1, %2 (%3 bits), ALPN %4, SNI %5</source>
        <translation>TLS: %1, %2 (%3 Bit), ALPN %4, SNI %5</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TLS: handshake not completed</source>
        <translation>TLS: Handshake nicht abgeschlossen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Root certificates: %1; CRL checking %2; client certificate %3</source>
        <translation>Stammzertifikate: %1; CRL-Prüfung %2; Clientzertifikat %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none (the chain is not verified)</source>
        <translation>keine (die Kette wird nicht verifiziert)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requested and sent</source>
        <translation>angefordert und gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requested, none sent</source>
        <translation>angefordert, keines gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not requested</source>
        <translation>nicht angefordert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>verified against %1</source>
        <translation>verifiziert gegen %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not verified by libpq; checked against the system&apos;s trusted roots: %1</source>
        <translation>nicht von libpq verifiziert; gegen die vertrauenswürdigen Stammzertifikate des Systems geprüft: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server certificate chain (%1):</source>
        <translation>Zertifikatskette des Servers (%1):</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+61"/>
        <source>(from %1) %2</source>
        <translation>(Quelle: %1) %2</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+61"/>
        <source>trusted</source>
        <translation>vertrauenswürdig</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+60"/>
        <source>Host name: &quot;%1&quot; matches &quot;%2&quot;</source>
        <translation>Hostname: „%1“ passt zu „%2“</translation>
    </message>
    <message>
        <location line="-59"/>
        <location line="+60"/>
        <source>Host name: &quot;%1&quot; does not match (%2)</source>
        <translation>Hostname: „%1“ passt nicht (%2)</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Authentication: %1%2</source>
        <translation>Authentifizierung: %1%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (channel binding)</source>
        <translation> (Channel Binding)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Server: %1; user %2, database %3, backend pid %4</source>
        <translation>Server: %1; Benutzer %2, Datenbank %3, Backend-PID %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Total: %1</source>
        <translation>Gesamt: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+45"/>
        <source>Result: %1</source>
        <translation>Ergebnis: %1</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>Security: %1</source>
        <translation>Sicherheit: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+43"/>
        <source>Diagnosis:</source>
        <translation>Diagnose:</translation>
    </message>
    <message numerus="yes">
        <location line="-35"/>
        <source>Certificates (%n, leaf first):</source>
        <translation>
            <numerusform>Zertifikate (%n, Endzertifikat zuerst):</numerusform>
            <numerusform>Zertifikate (%n, Endzertifikat zuerst):</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not part of the chain</source>
        <translation>nicht Teil der Kette</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(%1, #%2)</source>
        <translation>(%1, #%2)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Verified against: %1</source>
        <translation>Verifiziert gegen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL checking: on</source>
        <translation>CRL-Prüfung: an</translation>
    </message>
</context>
<context>
    <name>vf::security::SslMode</name>
    <message>
        <location filename="../core/security/SslMode.cpp" line="+45"/>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maybe</source>
        <translation>Vielleicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>safe</source>
        <translation>sicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>weak</source>
        <translation>schwach</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unsafe</source>
        <translation>unsicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>will fail</source>
        <translation>wird scheitern</translation>
    </message>
</context>
<context>
    <name>vf::security::SslModeAssessment</name>
    <message>
        <location filename="../core/security/SslModeAssessment.cpp" line="+28"/>
        <source>Eavesdropping</source>
        <translation>Abhören</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Man-in-the-middle (someone posing as the server)</source>
        <translation>Man-in-the-Middle (jemand gibt sich als Server aus)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Being pushed to an unencrypted connection</source>
        <translation>Erzwungener Wechsel zu einer unverschlüsselten Verbindung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Another server with a certificate from the same CA</source>
        <translation>Ein anderer Server mit einem Zertifikat derselben CA</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A revoked server certificate</source>
        <translation>Ein gesperrtes Serverzertifikat</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>the operating system&apos;s trust store</source>
        <translation>dem Zertifikatsspeicher des Betriebssystems</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No sslmode was set, and sslrootcert=system makes libpq default to verify-full.</source>
        <translation>Es ist kein sslmode gesetzt, und mit sslrootcert=system verwendet libpq standardmäßig verify-full.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No sslmode was set, so libpq uses its default, prefer.</source>
        <translation>Es ist kein sslmode gesetzt, daher verwendet libpq seinen Standard, prefer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>sslmode must be one of disable, allow, prefer, require, verify-ca or verify-full, written exactly so (lower case, no spaces). libpq refuses to connect otherwise.</source>
        <translation>sslmode muss disable, allow, prefer, require, verify-ca oder verify-full sein, genau so geschrieben (Kleinbuchstaben, keine Leerzeichen). Andernfalls verweigert libpq die Verbindung.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>sslnegotiation must be postgres (the default) or direct.</source>
        <translation>sslnegotiation muss postgres (der Standard) oder direct sein.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set sslnegotiation=postgres (the default).</source>
        <translation>Setzen Sie sslnegotiation=postgres (der Standard).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Direct TLS negotiation cannot fall back to an unencrypted connection, so libpq only accepts it with an sslmode that requires encryption.</source>
        <translation>Direkte TLS-Aushandlung kann nicht auf eine unverschlüsselte Verbindung zurückfallen, daher akzeptiert libpq sie nur mit einem sslmode, der Verschlüsselung verlangt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Or set sslnegotiation=postgres to keep sslmode=%1.</source>
        <translation>Oder setzen Sie sslnegotiation=postgres, um sslmode=%1 beizubehalten.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The system&apos;s trusted CAs sign certificates for anyone on the internet, so a check without the host name would accept any of them. libpq only allows sslrootcert=system with verify-full.</source>
        <translation>Die vertrauenswürdigen CAs des Systems stellen Zertifikate für jeden im Internet aus, daher würde eine Prüfung ohne Hostnamen jedes davon akzeptieren. libpq erlaubt sslrootcert=system nur mit verify-full.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>gssencmode must be disable, prefer or require.</source>
        <translation>gssencmode muss disable, prefer oder require sein.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set gssencmode=prefer (libpq&apos;s default).</source>
        <translation>Setzen Sie gssencmode=prefer (Standard von libpq).</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>gssencmode=require cannot work over a Unix-domain socket.</source>
        <translation>gssencmode=require kann über einen Unix-Domain-Socket nicht funktionieren.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set gssencmode=prefer, or connect over TCP with the server&apos;s host name.</source>
        <translation>Setzen Sie gssencmode=prefer, oder verbinden Sie sich über TCP mit dem Hostnamen des Servers.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This is a Unix-domain socket connection: libpq never uses TLS over a local socket, even with sslmode=%1, and connects without encryption.</source>
        <translation>Dies ist eine Verbindung über einen Unix-Domain-Socket: libpq verwendet über einen lokalen Socket nie TLS, selbst mit sslmode=%1, und verbindet sich unverschlüsselt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The traffic is not encrypted, but it does not leave this machine: only someone with access to this machine could read it.</source>
        <translation>Der Datenverkehr ist nicht verschlüsselt, verlässt diesen Rechner aber nicht: Nur jemand mit Zugriff auf diesen Rechner könnte ihn mitlesen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No certificate is checked over a local socket: any process that can create the socket file could pose as the server. requirepeer makes libpq check the operating-system user running the server.</source>
        <translation>Über einen lokalen Socket wird kein Zertifikat geprüft: Jeder Prozess, der die Socket-Datei anlegen kann, könnte sich als Server ausgeben. Mit requirepeer prüft libpq den Betriebssystembenutzer, unter dem der Server läuft.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>To use TLS, connect over TCP: set host to the server&apos;s name instead of a socket directory.</source>
        <translation>Um TLS zu verwenden, verbinden Sie sich über TCP: Setzen Sie host auf den Namen des Servers statt auf ein Socket-Verzeichnis.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Or set requirepeer to the operating-system user that runs the server (usually postgres).</source>
        <translation>Oder setzen Sie requirepeer auf den Betriebssystembenutzer, unter dem der Server läuft (meist postgres).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>gssencmode=require: libpq encrypts with GSSAPI (Kerberos) and never tries TLS, so sslmode=%1 and the certificate settings are not used.</source>
        <translation>gssencmode=require: libpq verschlüsselt mit GSSAPI (Kerberos) und versucht nie TLS, daher werden sslmode=%1 und die Zertifikatseinstellungen nicht verwendet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq connects only if the server encrypts the connection with GSSAPI.</source>
        <translation>libpq verbindet sich nur, wenn der Server die Verbindung mit GSSAPI verschlüsselt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kerberos authenticates the server (mutual authentication); no certificate is involved.</source>
        <translation>Kerberos authentifiziert den Server (gegenseitige Authentifizierung); es ist kein Zertifikat beteiligt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Without GSSAPI encryption libpq refuses to connect.</source>
        <translation>Ohne GSSAPI-Verschlüsselung verweigert libpq die Verbindung.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This needs a Kerberos ticket; without one libpq fails with &quot;GSSAPI encryption required but no credential cache&quot;.</source>
        <translation>Dafür ist ein Kerberos-Ticket nötig; ohne eines scheitert libpq mit „GSSAPI encryption required but no credential cache“.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>sslmode=disable never uses TLS: everything, passwords included, crosses the network unencrypted.</source>
        <translation>sslmode=disable verwendet nie TLS: Alles, einschließlich Passwörter, geht unverschlüsselt über das Netzwerk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing is encrypted: anyone on the network path can read the traffic.</source>
        <translation>Nichts ist verschlüsselt: Jeder auf dem Netzwerkpfad kann den Datenverkehr mitlesen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+144"/>
        <source>The server is not checked at all: anyone who can intercept the connection can pose as the server.</source>
        <translation>Der Server wird überhaupt nicht geprüft: Jeder, der die Verbindung abfangen kann, kann sich als Server ausgeben.</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>%1 needs the CA&apos;s root certificate, and without a home directory there is no default root file. Set sslrootcert.</source>
        <translation>%1 benötigt das Stammzertifikat der CA, und ohne Home-Verzeichnis gibt es keine Standard-Stammzertifikatsdatei. Setzen Sie sslrootcert.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 checks the server&apos;s certificate against your CA&apos;s root certificate, and there is none at %2. libpq stops before the TLS handshake.</source>
        <translation>%1 prüft das Zertifikat des Servers gegen das Stammzertifikat Ihrer CA, aber unter %2 gibt es keines. libpq bricht vor dem TLS-Handshake ab.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The root certificate file exists but holds no certificate OpenSSL can read (it must be PEM). Because it exists, libpq uses it even with sslmode=%1, and every TLS attempt fails.</source>
        <translation>Die Stammzertifikatsdatei existiert, enthält aber kein Zertifikat, das OpenSSL lesen kann (sie muss PEM sein). Da sie existiert, verwendet libpq sie selbst mit sslmode=%1, und jeder TLS-Versuch schlägt fehl.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-full compares the server&apos;s certificate with the host name, and only hostaddr is set. Set host to the name in the certificate (hostaddr can stay).</source>
        <translation>verify-full vergleicht das Zertifikat des Servers mit dem Hostnamen, es ist aber nur hostaddr gesetzt. Setzen Sie host auf den Namen im Zertifikat (hostaddr kann bleiben).</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Check sslcrl/sslcrldir: the CRL could not be loaded, so revoked certificates are accepted.</source>
        <translation>Prüfen Sie sslcrl/sslcrldir: Die CRL konnte nicht geladen werden, daher werden gesperrte Zertifikate akzeptiert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>sslrootcert=system: libpq trusts the certificate authorities of the operating system (OpenSSL&apos;s default paths; SSL_CERT_FILE and SSL_CERT_DIR change them).</source>
        <translation>sslrootcert=system: libpq vertraut den Zertifizierungsstellen des Betriebssystems (Standardpfade von OpenSSL; SSL_CERT_FILE und SSL_CERT_DIR ändern sie).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>allow first connects without encryption and tries TLS only if the server rejects the unencrypted connection; most servers accept it, so the session is usually unencrypted.</source>
        <translation>allow verbindet sich zuerst unverschlüsselt und versucht TLS nur, wenn der Server die unverschlüsselte Verbindung ablehnt; die meisten Server akzeptieren sie, daher ist die Sitzung meist unverschlüsselt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>prefer tries TLS first, but silently connects without encryption when the server does not offer TLS or the TLS attempt fails.</source>
        <translation>prefer versucht zuerst TLS, verbindet sich aber stillschweigend unverschlüsselt, wenn der Server kein TLS anbietet oder der TLS-Versuch fehlschlägt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>require behaves as verify-ca here because a root file exists: %1</source>
        <translation>require verhält sich hier wie verify-ca, weil eine Stammzertifikatsdatei existiert: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No root certificate file exists (%1), so require accepts any certificate the server presents.</source>
        <translation>Es existiert keine Stammzertifikatsdatei (%1), daher akzeptiert require jedes Zertifikat, das der Server vorlegt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-ca checks that the server&apos;s certificate was issued by a CA in %1, but not which host it was issued for.</source>
        <translation>verify-ca prüft, ob das Zertifikat des Servers von einer CA aus %1 ausgestellt wurde, aber nicht, für welchen Host.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>verify-full checks that the server&apos;s certificate was issued by a CA in %1 and names the host you connect to.</source>
        <translation>verify-full prüft, ob das Zertifikat des Servers von einer CA aus %1 ausgestellt wurde und den Host nennt, mit dem Sie sich verbinden.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The root certificate file %1 cannot be loaded (%2), so every TLS attempt fails and %3 connects without encryption.</source>
        <translation>Die Stammzertifikatsdatei %1 kann nicht geladen werden (%2), daher schlägt jeder TLS-Versuch fehl, und %3 verbindet sich unverschlüsselt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A root certificate file exists (%1), so %2 also checks the server&apos;s certificate chain when it uses TLS; if that check fails, it silently retries without encryption.</source>
        <translation>Es existiert eine Stammzertifikatsdatei (%1), daher prüft %2 bei Verwendung von TLS auch die Zertifikatskette des Servers; schlägt diese Prüfung fehl, wird stillschweigend unverschlüsselt erneut verbunden.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Every TLS attempt fails, so the connection is unencrypted.</source>
        <translation>Jeder TLS-Versuch schlägt fehl, daher ist die Verbindung unverschlüsselt.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The connection is encrypted only if the server insists on TLS.</source>
        <translation>Die Verbindung ist nur verschlüsselt, wenn der Server auf TLS besteht.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection is encrypted only if TLS works; otherwise libpq silently continues without encryption.</source>
        <translation>Die Verbindung ist nur verschlüsselt, wenn TLS funktioniert; andernfalls fährt libpq stillschweigend unverschlüsselt fort.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The certificate is checked when TLS is used, but an attacker can simply refuse TLS and libpq connects to them without encryption.</source>
        <translation>Das Zertifikat wird geprüft, wenn TLS verwendet wird, aber ein Angreifer kann TLS einfach ablehnen, und libpq verbindet sich dann unverschlüsselt mit ihm.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No certificate is checked, and an attacker can also refuse TLS: anyone who can intercept the connection can pose as the server.</source>
        <translation>Es wird kein Zertifikat geprüft, und ein Angreifer kann zudem TLS ablehnen: Jeder, der die Verbindung abfangen kann, kann sich als Server ausgeben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 accepts an unencrypted connection, so an attacker can switch encryption off.</source>
        <translation>%1 akzeptiert eine unverschlüsselte Verbindung, daher kann ein Angreifer die Verschlüsselung abschalten.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>libpq refuses to connect without TLS, so the traffic is always encrypted.</source>
        <translation>libpq verweigert Verbindungen ohne TLS, daher ist der Datenverkehr immer verschlüsselt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any certificate is accepted: someone who can intercept the connection can present their own and read everything.</source>
        <translation>Jedes Zertifikat wird akzeptiert: Wer die Verbindung abfangen kann, kann ein eigenes vorlegen und alles mitlesen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Depends on CA policy: the certificate must be issued by a CA in %1, but for any host. Safe only if that CA issues certificates to nobody but your servers.</source>
        <translation>Hängt von der Richtlinie der CA ab: Das Zertifikat muss von einer CA aus %1 ausgestellt sein, aber für einen beliebigen Host. Nur sicher, wenn diese CA ausschließlich Ihren Servern Zertifikate ausstellt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate must be issued by a CA in %1 and name the host you connect to.</source>
        <translation>Das Zertifikat muss von einer CA aus %1 ausgestellt sein und den Host nennen, mit dem Sie sich verbinden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 never falls back to an unencrypted connection.</source>
        <translation>%1 fällt nie auf eine unverschlüsselte Verbindung zurück.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>No certificate is checked at all.</source>
        <translation>Es wird überhaupt kein Zertifikat geprüft.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>The host name is not checked: a certificate your CA issued for another server is accepted.</source>
        <translation>Der Hostname wird nicht geprüft: Ein Zertifikat, das Ihre CA für einen anderen Server ausgestellt hat, wird akzeptiert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate must name the host you connect to.</source>
        <translation>Das Zertifikat muss den Host nennen, mit dem Sie sich verbinden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>libpq loads no CRL with sslrootcert=system, so revocation is not checked.</source>
        <translation>libpq lädt mit sslrootcert=system keine CRL, daher wird die Sperrung nicht geprüft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificates are checked against the loaded CRL.</source>
        <translation>Die Zertifikate werden gegen die geladene CRL geprüft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No CRL is loaded, so a revoked certificate is accepted.</source>
        <translation>Es ist keine CRL geladen, daher wird ein gesperrtes Zertifikat akzeptiert.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sslnegotiation=direct starts the TLS handshake at once, without asking the server first; the server must be PostgreSQL 17 or later.</source>
        <translation>sslnegotiation=direct startet den TLS-Handshake sofort, ohne vorher beim Server anzufragen; der Server muss PostgreSQL 17 oder neuer sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libpq does not load CRLs with sslrootcert=system: sslcrl and sslcrldir are ignored.</source>
        <translation>libpq lädt mit sslrootcert=system keine CRLs: sslcrl und sslcrldir werden ignoriert.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Revocation is checked with %1. libpq then needs a CRL for every CA in the chain; a missing one fails verification (&quot;unable to get certificate CRL&quot;).</source>
        <translation>Die Sperrung wird mit %1 geprüft. libpq benötigt dann für jede CA in der Kette eine CRL; fehlt eine, schlägt die Verifizierung fehl („unable to get certificate CRL“).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The CRL file %1 could not be loaded: libpq then silently skips revocation checks, and ignores sslcrldir too.</source>
        <translation>Die CRL-Datei %1 konnte nicht geladen werden: libpq überspringt dann stillschweigend die Sperrprüfung und ignoriert auch sslcrldir.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The CRL %1 could not be loaded: libpq then silently skips revocation checks.</source>
        <translation>Die CRL %1 konnte nicht geladen werden: libpq überspringt dann stillschweigend die Sperrprüfung.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>gssencmode=prefer: if you have a Kerberos ticket and the server accepts GSSAPI encryption, libpq uses that instead of TLS, and these TLS settings are not used. Set gssencmode=disable to make sure TLS is used.</source>
        <translation>gssencmode=prefer: Wenn Sie ein Kerberos-Ticket haben und der Server GSSAPI-Verschlüsselung akzeptiert, verwendet libpq diese statt TLS, und diese TLS-Einstellungen werden nicht verwendet. Setzen Sie gssencmode=disable, damit sicher TLS verwendet wird.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Set %1.</source>
        <translation>Setzen Sie %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Replace %1 with a PEM file holding your CA&apos;s root certificate, or use sslrootcert=system for a public CA.</source>
        <translation>Ersetzen Sie %1 durch eine PEM-Datei mit dem Stammzertifikat Ihrer CA, oder verwenden Sie sslrootcert=system für eine öffentliche CA.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Point sslrootcert at your CA&apos;s root certificate, or use sslrootcert=system for a public CA.</source>
        <translation>Lassen Sie sslrootcert auf das Stammzertifikat Ihrer CA verweisen, oder verwenden Sie sslrootcert=system für eine öffentliche CA.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Set host to the server&apos;s name as written in its certificate (hostaddr can stay, it saves the DNS lookup).</source>
        <translation>Setzen Sie host auf den Namen des Servers, wie er in seinem Zertifikat steht (hostaddr kann bleiben, es spart die DNS-Abfrage).</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>invalid sslmode: %1</source>
        <translation>ungültiger sslmode: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (GSSAPI encryption instead of TLS)</source>
        <translation>%1 (GSSAPI-Verschlüsselung statt TLS)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 behaves as %2</source>
        <translation>%1 verhält sich wie %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Fails: %1</source>
        <translation>Scheitert: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2 (%3)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>[can be applied now: %1=%2]</source>
        <translation>[jetzt anwendbar: %1=%2]</translation>
    </message>
</context>
<context>
    <name>vf::security::SslModeTable</name>
    <message>
        <location filename="../core/security/SslModeTable.cpp" line="+15"/>
        <location line="+1"/>
        <location line="+6"/>
        <location line="+9"/>
        <location line="+10"/>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>I don&apos;t care about security, and I don&apos;t want to pay the overhead of encryption.</source>
        <translation>Sicherheit ist mir egal, und ich möchte den Mehraufwand der Verschlüsselung nicht tragen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+9"/>
        <source>Maybe</source>
        <translation>Vielleicht</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>I don&apos;t care about security, but I will pay the overhead of encryption if the server insists on it.</source>
        <translation>Sicherheit ist mir egal, aber ich nehme den Mehraufwand der Verschlüsselung in Kauf, wenn der Server darauf besteht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq first connects without encryption and uses TLS only if the server refuses that.</source>
        <translation>libpq verbindet sich zuerst unverschlüsselt und verwendet TLS nur, wenn der Server das ablehnt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>I don&apos;t care about encryption, but I wish to pay the overhead of encryption if the server supports it.</source>
        <translation>Verschlüsselung ist mir egal, aber ich nehme den Mehraufwand der Verschlüsselung in Kauf, wenn der Server sie unterstützt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>libpq&apos;s default. It silently connects without encryption when TLS is not available or fails, so an attacker on the network can simply switch encryption off.</source>
        <translation>Standard von libpq. Verbindet sich stillschweigend unverschlüsselt, wenn TLS nicht verfügbar ist oder fehlschlägt, sodass ein Angreifer im Netzwerk die Verschlüsselung einfach abschalten kann.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <location line="+10"/>
        <location line="+1"/>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>I want my data to be encrypted, and I accept the overhead. I trust that the network will make sure I always connect to the server I want.</source>
        <translation>Ich möchte, dass meine Daten verschlüsselt werden, und nehme den Mehraufwand in Kauf. Ich vertraue darauf, dass das Netzwerk dafür sorgt, dass ich immer mit dem gewünschten Server verbunden werde.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any server certificate is accepted, unless a root certificate file exists: then require checks the certificate chain like verify-ca.</source>
        <translation>Jedes Serverzertifikat wird akzeptiert, außer es existiert eine Stammzertifikatsdatei: Dann prüft require die Zertifikatskette wie verify-ca.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Depends on CA policy</source>
        <translation>Hängt von der CA-Richtlinie ab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a server that I trust.</source>
        <translation>Ich möchte, dass meine Daten verschlüsselt werden, und nehme den Mehraufwand in Kauf. Ich möchte sicher sein, dass ich mich mit einem Server verbinde, dem ich vertraue.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate must come from a CA you trust, but it may have been issued for another server. Enough only if your own CA issues certificates to nobody else.</source>
        <translation>Das Zertifikat muss von einer CA stammen, der Sie vertrauen, kann aber für einen anderen Server ausgestellt sein. Nur ausreichend, wenn Ihre eigene CA niemand anderem Zertifikate ausstellt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a server I trust, and that it&apos;s the one I specify.</source>
        <translation>Ich möchte, dass meine Daten verschlüsselt werden, und nehme den Mehraufwand in Kauf. Ich möchte sicher sein, dass ich mich mit einem Server verbinde, dem ich vertraue, und dass es der ist, den ich angebe.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate must come from a CA you trust and name the host you connect to.</source>
        <translation>Das Zertifikat muss von einer CA stammen, der Sie vertrauen, und den Host nennen, mit dem Sie sich verbinden.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Eavesdropping protection</source>
        <translation>Schutz vor Abhören</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MITM protection</source>
        <translation>Schutz vor MITM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Statement</source>
        <translation>Aussage</translation>
    </message>
</context>
<context>
    <name>vf::session::ConnectionTester</name>
    <message>
        <location filename="../core/session/ConnectionTester.cpp" line="+132"/>
        <source>The name %1 does not resolve here: check its spelling and your DNS, or use hostaddr with its IP address.</source>
        <translation>Der Name %1 lässt sich hier nicht auflösen: Prüfen Sie die Schreibweise und Ihr DNS, oder verwenden Sie hostaddr mit der IP-Adresse.</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>Nothing accepted the connection: the server is down, listens on another port or address (listen_addresses), or a firewall blocks it.</source>
        <translation>Keine Gegenstelle hat die Verbindung angenommen: Der Server läuft nicht, lauscht auf einem anderen Port oder einer anderen Adresse (listen_addresses), oder eine Firewall blockiert die Verbindung.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The name lookup did not finish in time.</source>
        <translation>Die Namensauflösung wurde nicht rechtzeitig abgeschlossen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server did not accept the TCP connection in time: a firewall may be dropping packets.</source>
        <translation>Der Server hat die TCP-Verbindung nicht rechtzeitig angenommen: Möglicherweise verwirft eine Firewall die Pakete.</translation>
    </message>
</context>
<context>
    <name>vf::session::Phase</name>
    <message>
        <location filename="../core/session/ProtocolMachine.cpp" line="+225"/>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP connect</source>
        <translation>TCP-Verbindungsaufbau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SSL negotiation</source>
        <translation>SSL-Aushandlung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS handshake</source>
        <translation>TLS-Handshake</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>startup</source>
        <translation>Startphase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>query</source>
        <translation>Abfrage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>terminate</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>vf::session::ProtocolMachine</name>
    <message>
        <location line="-142"/>
        <source>The server sent a message whose length word is impossible (or larger than VerifyFull holds): it is not a PostgreSQL server, or the stream is corrupted.</source>
        <translation>Der Server hat eine Nachricht mit unmöglicher Längenangabe gesendet (oder größer, als VerifyFull aufnehmen kann): Das ist kein PostgreSQL-Server, oder der Datenstrom ist beschädigt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The server answered the startup message with a protocol negotiation that makes no sense for protocol 3.0: it is not a PostgreSQL server, or a proxy in between is broken.</source>
        <translation>Der Server hat auf die Startnachricht mit einer Protokollaushandlung geantwortet, die für Protokoll 3.0 keinen Sinn ergibt: Das ist kein PostgreSQL-Server, oder ein Proxy dazwischen ist defekt.</translation>
    </message>
    <message>
        <location line="+321"/>
        <source>The server answered &apos;N&apos; to the SSL request: ssl is off on the server, or a proxy in between does not speak TLS.</source>
        <translation>Der Server hat auf die SSL-Anfrage mit &apos;N&apos; geantwortet: ssl ist auf dem Server ausgeschaltet, oder ein Proxy dazwischen spricht kein TLS.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server refused the SSL request with an error before TLS started (often too many connections, or the server is starting up). libpq does not show that error&apos;s text, since it is not authenticated.</source>
        <translation>Der Server hat die SSL-Anfrage vor dem Start von TLS mit einem Fehler abgelehnt (oft zu viele Verbindungen, oder der Server startet gerade). libpq zeigt den Text dieses Fehlers nicht an, da er nicht authentifiziert ist.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Whatever answered is not a PostgreSQL server, or something between you is not passing the PostgreSQL protocol through.</source>
        <translation>Die Gegenstelle, die geantwortet hat, ist kein PostgreSQL-Server, oder etwas zwischen Ihnen und dem Server lässt das PostgreSQL-Protokoll nicht durch.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Bytes arrived right after the server&apos;s &apos;S&apos; answer, outside TLS. This is how a man-in-the-middle injects data (CVE-2021-23222); libpq refuses the connection.</source>
        <translation>Unmittelbar nach der Antwort &apos;S&apos; des Servers kamen Bytes außerhalb von TLS an. Auf diese Weise schleust ein Man-in-the-Middle Daten ein (CVE-2021-23222); libpq lehnt die Verbindung ab.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>The server&apos;s authentication request has an impossible length: it is not a PostgreSQL server, or the stream is corrupted.</source>
        <translation>Die Authentifizierungsanforderung des Servers hat eine unmögliche Länge: Das ist kein PostgreSQL-Server, oder der Datenstrom ist beschädigt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server&apos;s protocol negotiation message has an impossible length: it is not a PostgreSQL server.</source>
        <translation>Die Nachricht des Servers zur Protokollaushandlung hat eine unmögliche Länge: Das ist kein PostgreSQL-Server.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server sent an error message without an end: it is not a PostgreSQL server.</source>
        <translation>Der Server hat eine Fehlermeldung ohne Abschluss gesendet: Das ist kein PostgreSQL-Server.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server answered with an error in the pre-7.4 protocol (or a corrupt error message); libpq shows its raw text.</source>
        <translation>Der Server hat mit einem Fehler im Protokoll vor Version 7.4 geantwortet (oder mit einer beschädigten Fehlermeldung); libpq zeigt den Rohtext an.</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>The server asks for a password and none was given: set it in the profile, PGPASSWORD or ~/.pgpass.</source>
        <translation>Der Server verlangt ein Passwort, aber es wurde keines angegeben: Legen Sie es im Profil, in PGPASSWORD oder in ~/.pgpass fest.</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The server wants Kerberos (gss) authentication, which VerifyFull does not perform.</source>
        <translation>Der Server verlangt eine Kerberos-Authentifizierung (gss), die VerifyFull nicht durchführt.</translation>
    </message>
    <message>
        <location line="+140"/>
        <source>The server closed the connection.</source>
        <translation>Der Server hat die Verbindung geschlossen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The server did not answer in time during %1.</source>
        <translation>Der Server hat in der Phase „%1“ nicht rechtzeitig geantwortet.</translation>
    </message>
</context>
<context>
    <name>vf::settings::ConnInfoParser</name>
    <message>
        <location filename="../core/settings/ConnInfoParser.cpp" line="+71"/>
        <source>libpq reads a connection string as a C string, so it would silently ignore everything after the NUL. Remove the NUL character.</source>
        <translation>libpq liest eine Verbindungszeichenfolge als C-String und würde daher alles nach dem NUL-Zeichen stillschweigend ignorieren. Entfernen Sie das NUL-Zeichen.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>libpq does not know this keyword. Check its spelling (keywords are lower case) against the list of connection parameters.</source>
        <translation>libpq kennt dieses Schlüsselwort nicht. Prüfen Sie seine Schreibweise (Schlüsselwörter sind kleingeschrieben) anhand der Liste der Verbindungsparameter.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Every parameter needs the form keyword=value. To give a value that contains spaces, put it in single quotes: keyword=&apos;a value&apos;.</source>
        <translation>Jeder Parameter muss die Form keyword=value haben. Um einen Wert mit Leerzeichen anzugeben, setzen Sie ihn in einfache Anführungszeichen: keyword=&apos;a value&apos;.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A value opened with a single quote has no closing quote. Add the closing &apos; and write a quote inside a value as \&apos;.</source>
        <translation>Ein mit einem einfachen Anführungszeichen begonnener Wert hat kein schließendes Anführungszeichen. Ergänzen Sie das schließende &apos; und schreiben Sie ein Anführungszeichen innerhalb eines Werts als \&apos;.</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>An IPv6 address in a URI is written in square brackets, and the closing ] is missing.</source>
        <translation>Eine IPv6-Adresse wird in einer URI in eckige Klammern gesetzt, und die schließende ] fehlt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The square brackets for an IPv6 address are empty. Put the address between them, e.g. [::1], or remove them.</source>
        <translation>Die eckigen Klammern für eine IPv6-Adresse sind leer. Setzen Sie die Adresse dazwischen, z. B. [::1], oder entfernen Sie sie.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>After the ] of an IPv6 address a URI continues with :port, /dbname, ?parameters or a comma and the next host.</source>
        <translation>Nach der ] einer IPv6-Adresse geht eine URI mit :port, /dbname, ?parameters oder einem Komma und dem nächsten Host weiter.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>A query parameter has more than one &apos;=&apos;. Write an &apos;=&apos; inside a value as %3D.</source>
        <translation>Ein Abfrageparameter enthält mehr als ein &apos;=&apos;. Schreiben Sie ein &apos;=&apos; innerhalb eines Werts als %3D.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Every query parameter needs the form keyword=value, and parameters are separated by &apos;&amp;&apos;. Write an &apos;&amp;&apos; inside a value as %26.</source>
        <translation>Jeder Abfrageparameter muss die Form keyword=value haben, und Parameter werden durch &apos;&amp;&apos; getrennt. Schreiben Sie ein &apos;&amp;&apos; innerhalb eines Werts als %26.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>libpq does not know this query parameter. Check its spelling against the list of connection parameters.</source>
        <translation>libpq kennt diesen Abfrageparameter nicht. Prüfen Sie seine Schreibweise anhand der Liste der Verbindungsparameter.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>In a URI a &apos;%&apos; must be followed by two hexadecimal digits. Write a literal &apos;%&apos; as %25.</source>
        <translation>In einer URI muss auf ein &apos;%&apos; zwei Hexadezimalziffern folgen. Schreiben Sie ein wörtliches &apos;%&apos; als %25.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%00 would put a NUL byte into a value, which libpq cannot pass on. Remove it.</source>
        <translation>%00 würde ein NUL-Byte in einen Wert einfügen, das libpq nicht weitergeben kann. Entfernen Sie es.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A URI cannot contain a blank inside a value. Write each space as %20 (libpq 17 and later drop blanks at either end of a value and refuse the others).</source>
        <translation>Eine URI darf innerhalb eines Werts kein Leerzeichen enthalten. Schreiben Sie jedes Leerzeichen als %20 (libpq ab Version 17 entfernt Leerzeichen an beiden Enden eines Werts und lehnt die übrigen ab).</translation>
    </message>
</context>
<context>
    <name>vf::settings::EffectiveSettings</name>
    <message>
        <location filename="../core/settings/EffectiveSettings.cpp" line="+22"/>
        <source>(not set)</source>
        <translation>(nicht gesetzt)</translation>
    </message>
</context>
<context>
    <name>vf::settings::OptionValidator</name>
    <message>
        <location filename="../core/settings/OptionValidator.cpp" line="+39"/>
        <source> (%1 is &quot;%2&quot;, %3)</source>
        <translation> (%1 ist „%2“, %3)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq does not accept this value%1. Allowed values: %2 (exact, lower case).</source>
        <translation>libpq akzeptiert diesen Wert nicht%1. Zulässige Werte: %2 (genau so, kleingeschrieben).</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>require_auth is either a list of methods to allow (scram-sha-256,md5) or a list of methods to forbid, each with &quot;!&quot; (!password,!md5), never both%1.</source>
        <translation>require_auth ist entweder eine Liste zulässiger Methoden (scram-sha-256,md5) oder eine Liste verbotener Methoden, jeweils mit „!“ (!password,!md5), nie beides%1.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Once the first require_auth method starts with &quot;!&quot;, every method must: the list says which methods to forbid%1.</source>
        <translation>Sobald die erste Methode in require_auth mit „!“ beginnt, müssen es alle tun: Die Liste gibt dann an, welche Methoden verboten sind%1.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>require_auth is a comma-separated list of password, md5, gss, sspi, scram-sha-256, oauth and none, optionally all prefixed with &quot;!&quot;%1.</source>
        <translation>require_auth ist eine durch Kommas getrennte Liste aus password, md5, gss, sspi, scram-sha-256, oauth und none, wahlweise alle mit vorangestelltem „!“%1.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>libpq refuses a repeated require_auth method because it usually hides a typo. List each method once%1.</source>
        <translation>libpq lehnt eine wiederholte Methode in require_auth ab, weil sie meist einen Tippfehler verbirgt. Führen Sie jede Methode nur einmal auf%1.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>host and hostaddr are parallel lists: give exactly one host name per hostaddr entry, in the same order (host%1; hostaddr%2).</source>
        <translation>host und hostaddr sind parallele Listen: Geben Sie genau einen Hostnamen pro hostaddr-Eintrag an, in derselben Reihenfolge (host%1; hostaddr%2).</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Give either one port for all hosts or exactly one port per host, in the same order%1.</source>
        <translation>Geben Sie entweder einen Port für alle Hosts oder genau einen Port pro Host an, in derselben Reihenfolge%1.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Direct TLS would silently fall back to plaintext on servers older than 17 with this sslmode, so libpq refuses it. Set sslmode=verify-full (or require), or remove sslnegotiation=direct%1.</source>
        <translation>Direktes TLS würde bei Servern vor Version 17 mit diesem sslmode stillschweigend auf Klartext zurückfallen, daher lehnt libpq es ab. Setzen Sie sslmode=verify-full (oder require), oder entfernen Sie sslnegotiation=direct%1.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The system&apos;s trusted roots vouch for any public host name, so they are only safe when the host name is checked too. Set sslmode=verify-full, or point sslrootcert at your own CA file%1.</source>
        <translation>Die vertrauenswürdigen Stammzertifikate des Systems bürgen für jeden öffentlichen Hostnamen und sind daher nur sicher, wenn auch der Hostname geprüft wird. Setzen Sie sslmode=verify-full, oder lassen Sie sslrootcert auf die Datei Ihrer eigenen CA verweisen%1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Allowed values are TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3 (any case), or empty for no bound%1.</source>
        <translation>Zulässige Werte sind TLSv1, TLSv1.1, TLSv1.2 und TLSv1.3 (beliebige Groß-/Kleinschreibung) oder leer für keine Begrenzung%1.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ssl_min_protocol_version (%1) is newer than ssl_max_protocol_version (%2), so no TLS version is left. Raise the maximum or lower the minimum.</source>
        <translation>ssl_min_protocol_version (%1) ist neuer als ssl_max_protocol_version (%2), daher bleibt keine TLS-Version übrig. Erhöhen Sie das Maximum oder senken Sie das Minimum.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>VerifyFull tests TLS only and has no GSSAPI (Kerberos) encryption. Use gssencmode=disable or prefer%1.</source>
        <translation>VerifyFull testet nur TLS und beherrscht keine GSSAPI-Verschlüsselung (Kerberos). Verwenden Sie gssencmode=disable oder prefer%1.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No protocol version is left between the minimum and the maximum. Raise max_protocol_version or lower min_protocol_version.</source>
        <translation>Zwischen Minimum und Maximum bleibt keine Protokollversion übrig. Erhöhen Sie max_protocol_version oder senken Sie min_protocol_version.</translation>
    </message>
</context>
<context>
    <name>vf::settings::PgPass</name>
    <message>
        <location filename="../core/settings/PgPass.cpp" line="+174"/>
        <source>libpq skips a password file it cannot open, without a message, and connects without a stored password.</source>
        <translation>libpq überspringt eine Passwortdatei, die es nicht öffnen kann, ohne Meldung und verbindet sich ohne gespeichertes Passwort.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>libpq ignores a password file that is a directory or a device. Point passfile/PGPASSFILE at a regular file, or remove the setting.</source>
        <translation>libpq ignoriert eine Passwortdatei, die ein Verzeichnis oder ein Gerät ist. Lassen Sie passfile/PGPASSFILE auf eine gewöhnliche Datei verweisen, oder entfernen Sie die Einstellung.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Other users could read the stored passwords, so libpq ignores the whole file (mode %1). Run: chmod 600 %2</source>
        <translation>Andere Benutzer könnten die gespeicherten Passwörter lesen, daher ignoriert libpq die gesamte Datei (Modus %1). Führen Sie aus: chmod 600 %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Line %1 is longer than %2 bytes and was skipped (libpq would read it).</source>
        <translation>Zeile %1 ist länger als %2 Byte und wurde übersprungen (libpq würde sie lesen).</translation>
    </message>
</context>
<context>
    <name>vf::settings::ServiceFile</name>
    <message>
        <location filename="../core/settings/ServiceFile.cpp" line="+56"/>
        <source>Line %1 of the service file is not a keyword=value line with a keyword libpq knows. Write one setting per line as keyword=value, with no spaces around &quot;=&quot; (libpq does not trim them), e.g. sslmode=verify-full.</source>
        <translation>Zeile %1 der Servicedatei ist keine keyword=value-Zeile mit einem Schlüsselwort, das libpq kennt. Schreiben Sie eine Einstellung pro Zeile als keyword=value, ohne Leerzeichen um „=“ (libpq entfernt sie nicht), z. B. sslmode=verify-full.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The service file is not a regular file (a pipe, socket or device); it is not read, since reading it could wait forever. Point servicefile= or PGSERVICEFILE at a pg_service.conf file.</source>
        <translation>Die Servicedatei ist keine gewöhnliche Datei (eine Pipe, ein Socket oder ein Gerät); sie wird nicht gelesen, da das Lesen endlos warten könnte. Lassen Sie servicefile= oder PGSERVICEFILE auf eine pg_service.conf-Datei verweisen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The service file could not be opened (%1). Check the path given by servicefile= or PGSERVICEFILE, or unset it so libpq looks in ~/.pg_service.conf and the system pg_service.conf.</source>
        <translation>Die Servicedatei konnte nicht geöffnet werden (%1). Prüfen Sie den in servicefile= oder PGSERVICEFILE angegebenen Pfad, oder entfernen Sie die Einstellung, damit libpq in ~/.pg_service.conf und in der pg_service.conf des Systems sucht.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>libpq reads service files with a 1024-byte line buffer, so every line must be shorter than 1023 bytes including its newline. Shorten line %1 (is this really a service file?).</source>
        <translation>libpq liest Servicedateien mit einem Zeilenpuffer von 1024 Byte, daher muss jede Zeile einschließlich Zeilenumbruch kürzer als 1023 Byte sein. Kürzen Sie Zeile %1 (ist das wirklich eine Servicedatei?).</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This service reads its settings from an LDAP server, which VerifyFull cannot query. Copy the settings into the service file or the connection string instead.</source>
        <translation>Dieser Service liest seine Einstellungen von einem LDAP-Server, den VerifyFull nicht abfragen kann. Kopieren Sie die Einstellungen stattdessen in die Servicedatei oder die Verbindungszeichenfolge.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>libpq treats any service-file line that starts with &quot;ldap&quot; as an LDAP URL. Line %1 is not one; rename or remove it.</source>
        <translation>libpq behandelt jede Zeile einer Servicedatei, die mit „ldap“ beginnt, als LDAP-URL. Zeile %1 ist keine; benennen Sie sie um oder entfernen Sie sie.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A service section cannot name another service. Copy the settings you need into this section and remove the service= line.</source>
        <translation>Ein Serviceabschnitt kann keinen anderen Service nennen. Kopieren Sie die benötigten Einstellungen in diesen Abschnitt und entfernen Sie die Zeile service=.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A service section cannot point to another service file. Remove the servicefile= line.</source>
        <translation>Ein Serviceabschnitt kann nicht auf eine andere Servicedatei verweisen. Entfernen Sie die Zeile servicefile=.</translation>
    </message>
</context>
<context>
    <name>vf::settings::SettingsResolver</name>
    <message>
        <location filename="../core/settings/SettingsResolver.cpp" line="+61"/>
        <location line="+23"/>
        <source>%1 (does not exist)</source>
        <translation>%1 (existiert nicht)</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>~/.pg_service.conf (no home directory)</source>
        <translation>~/.pg_service.conf (kein Home-Verzeichnis)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+10"/>
        <source>%1 (no [%2] section)</source>
        <translation>%1 (kein Abschnitt [%2])</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No service file has a [%1] section. Looked in: %2. Add the section, fix the service name, or point PGSERVICEFILE at the right file.</source>
        <translation>Keine Servicedatei hat einen Abschnitt [%1]. Durchsucht: %2. Fügen Sie den Abschnitt hinzu, korrigieren Sie den Servicenamen, oder lassen Sie PGSERVICEFILE auf die richtige Datei verweisen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The service file %1 is a directory; libpq reads it as an empty file.</source>
        <translation>Die Servicedatei %1 ist ein Verzeichnis; libpq liest sie als leere Datei.</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>No home directory (HOME is empty and the user has no passwd entry): libpq uses no ~/.postgresql/ files, no ~/.pgpass and no ~/.pg_service.conf.</source>
        <translation>Kein Home-Verzeichnis (HOME ist leer, und der Benutzer hat keinen passwd-Eintrag): libpq verwendet keine Dateien aus ~/.postgresql/, kein ~/.pgpass und kein ~/.pg_service.conf.</translation>
    </message>
</context>
<context>
    <name>vf::settings::ValueOrigin</name>
    <message>
        <location filename="../core/settings/ValueOrigin.cpp" line="+23"/>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>typed</source>
        <translation>eingegeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from the URI</source>
        <translation>aus der URI</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from service file %1 [%2]</source>
        <translation>aus Servicedatei %1 [%2]</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from %1</source>
        <translation>aus %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from %1=1</source>
        <translation>aus %1=1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default (operating-system user name)</source>
        <translation>Standard (Benutzername im Betriebssystem)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default (same as the user name)</source>
        <translation>Standard (wie der Benutzername)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default, raised to verify-full by sslrootcert=system</source>
        <translation>Standard, durch sslrootcert=system auf verify-full angehoben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default file %1 (exists)</source>
        <translation>Standarddatei %1 (vorhanden)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>default file %1 (missing)</source>
        <translation>Standarddatei %1 (fehlt)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1, line %2</source>
        <translation>%1, Zeile %2</translation>
    </message>
</context>
<context>
    <name>vf::tls::TlsClient</name>
    <message>
        <location filename="../core/tls/TlsClient.cpp" line="+259"/>
        <source>The root certificate file exists but OpenSSL cannot read certificates from it: libpq needs PEM certificates in this file.</source>
        <translation>Die Stammzertifikatsdatei existiert, aber OpenSSL kann keine Zertifikate daraus lesen: libpq benötigt in dieser Datei PEM-Zertifikate.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>sslmode=%1 needs trusted root certificates, and there is no home directory to find ~/.postgresql/root.crt in.</source>
        <translation>sslmode=%1 benötigt vertrauenswürdige Stammzertifikate, und es gibt kein Home-Verzeichnis, in dem ~/.postgresql/root.crt gesucht werden könnte.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sslmode=%1 verifies the server against trusted root certificates, and the file that should hold them is not there. Point sslrootcert at your CA&apos;s root certificate, or use sslrootcert=system for a public CA.</source>
        <translation>sslmode=%1 prüft den Server gegen vertrauenswürdige Stammzertifikate, und die Datei, die sie enthalten sollte, ist nicht vorhanden. Lassen Sie sslrootcert auf das Stammzertifikat Ihrer CA verweisen, oder verwenden Sie sslrootcert=system für eine öffentliche CA.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>libpq reads the client certificate as PEM: convert a DER or PKCS#12 file to PEM first.</source>
        <translation>libpq liest das Clientzertifikat als PEM: Konvertieren Sie eine DER- oder PKCS#12-Datei zuerst in PEM.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>The key is encrypted and the passphrase given (sslpassword, or the one typed) does not open it.</source>
        <translation>Der Schlüssel ist verschlüsselt, und die angegebene Passphrase (sslpassword oder die eingegebene) öffnet ihn nicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenSSL cannot read a private key from this file, or the key does not belong to the client certificate.</source>
        <translation>OpenSSL kann keinen privaten Schlüssel aus dieser Datei lesen, oder der Schlüssel gehört nicht zum Clientzertifikat.</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>The server accepted TLS directly but did not agree on the &apos;postgresql&apos; protocol; it is not a PostgreSQL 17+ server.</source>
        <translation>Der Server hat TLS direkt akzeptiert, sich aber nicht auf das Protokoll &apos;postgresql&apos; geeinigt; es ist kein Server ab PostgreSQL 17.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server chose protocol &apos;%1&apos; instead of &apos;postgresql&apos;.</source>
        <translation>Der Server hat das Protokoll &apos;%1&apos; statt &apos;postgresql&apos; gewählt.</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+11"/>
        <source>The server closed the connection during the TLS handshake.</source>
        <translation>Der Server hat die Verbindung während des TLS-Handshakes geschlossen.</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>The server certificate&apos;s signature algorithm (for example Ed25519) has no hash, so SCRAM channel binding cannot be used with it.</source>
        <translation>Der Signaturalgorithmus des Serverzertifikats (zum Beispiel Ed25519) hat keinen Hash, daher kann SCRAM-Channel-Binding damit nicht verwendet werden.</translation>
    </message>
</context>
<context>
    <name>vf::ui::AdvancedOptionsModel</name>
    <message>
        <location filename="../ui/profiles/AdvancedOptionsModel.cpp" line="+49"/>
        <source>Environment variable: %1</source>
        <translation>Umgebungsvariable: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libpq&apos;s default: %1</source>
        <translation>Standard von libpq: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known since PostgreSQL %1</source>
        <translation>Bekannt seit PostgreSQL %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A secret: kept for this session only, never saved in the profile file</source>
        <translation>Ein Geheimnis: wird nur für diese Sitzung aufbewahrt, nie in der Profildatei gespeichert</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+11"/>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>set (hidden)</source>
        <translation>gesetzt (verborgen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Double-click or press F2 to edit %1</source>
        <translation>Doppelklicken oder F2 drücken, um %1 zu bearbeiten</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When not set here</source>
        <translation>Wenn hier nicht gesetzt</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateAssessment</name>
    <message>
        <location filename="../ui/chain/CertificateAssessment.cpp" line="+90"/>
        <source>Expired %1</source>
        <translation>Abgelaufen (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired on %1 (%2): renew it, or replace it with the new certificate of its issuer.</source>
        <translation>Abgelaufen am %1 (%2): Erneuern Sie es, oder ersetzen Sie es durch das neue Zertifikat seines Ausstellers.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not valid yet</source>
        <translation>Noch nicht gültig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not valid before %1 (%2): check the clock of this computer, or wait.</source>
        <translation>Erst ab %1 gültig (%2): Prüfen Sie die Uhr dieses Computers, oder warten Sie.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Expires %1</source>
        <translation>Läuft %1 ab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expires on %1 (%2): plan its renewal now.</source>
        <translation>Läuft am %1 ab (%2): Planen Sie jetzt die Erneuerung.</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+175"/>
        <source>Revoked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>Revoked: the CRL of its issuer lists serial %1. Its owner must get a new certificate.</source>
        <translation>Gesperrt: Die CRL seines Ausstellers führt die Seriennummer %1. Sein Inhaber muss ein neues Zertifikat beschaffen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Name mismatch: %1</source>
        <translation>Name passt nicht: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Does not name the host %1: it holds no host name at all.</source>
        <translation>Nennt den Host %1 nicht: Es enthält überhaupt keinen Hostnamen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Does not name the host %1 (it names %2): connect with one of its names, or have the server&apos;s certificate reissued with this one.</source>
        <translation>Nennt den Host %1 nicht (es nennt %2): Verbinden Sie sich mit einem seiner Namen, oder lassen Sie das Zertifikat des Servers mit diesem Namen neu ausstellen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+146"/>
        <source>Issuer unknown</source>
        <translation>Aussteller unbekannt</translation>
    </message>
    <message>
        <location line="-144"/>
        <source>Issuer unknown: %1 is not included here.</source>
        <translation>Aussteller unbekannt: %1 ist hier nicht enthalten.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuer unknown: %1 is neither sent by the server nor among your trusted roots. Add it (or its root) to the root certificate file.</source>
        <translation>Aussteller unbekannt: %1 wurde weder vom Server gesendet, noch gehört es zu Ihren vertrauenswürdigen Stammzertifikaten. Nehmen Sie es (oder sein Stammzertifikat) in die Stammzertifikatsdatei auf.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Self-signed, not trusted</source>
        <translation>Selbstsigniert, nicht vertrauenswürdig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Self-signed and not among your trusted roots: if you trust it, add it to the root certificate file after comparing its SHA-256 fingerprint.</source>
        <translation>Selbstsigniert und nicht unter Ihren vertrauenswürdigen Stammzertifikaten: Wenn Sie ihm vertrauen, nehmen Sie es nach einem Vergleich seines SHA-256-Fingerabdrucks in die Stammzertifikatsdatei auf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+139"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>Bad signature</source>
        <translation>Ungültige Signatur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its signature does not verify with its issuer&apos;s key.</source>
        <translation>Seine Signatur lässt sich mit dem Schlüssel seines Ausstellers nicht verifizieren.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL problem</source>
        <translation>CRL-Problem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revocation could not be checked: the CRL of its issuer is missing, expired or badly signed.</source>
        <translation>Die Sperrung konnte nicht geprüft werden: Die CRL seines Ausstellers fehlt, ist abgelaufen oder falsch signiert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not allowed to sign</source>
        <translation>Darf nicht signieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It may not be used in this position (not a CA, key usage, or path length).</source>
        <translation>Es darf an dieser Stelle nicht verwendet werden (keine CA, Schlüsselverwendung oder Pfadlänge).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong purpose</source>
        <translation>Falscher Verwendungszweck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its extended key usage does not allow this use.</source>
        <translation>Seine erweiterte Schlüsselverwendung erlaubt diese Verwendung nicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too weak</source>
        <translation>Zu schwach</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its key or signature digest is too weak for OpenSSL&apos;s security level.</source>
        <translation>Sein Schlüssel oder Signatur-Hash ist für die Sicherheitsstufe von OpenSSL zu schwach.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (OpenSSL: %2)</source>
        <translation>%1 (OpenSSL: %2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Included root</source>
        <translation>Mitgeliefertes Stammzertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The self-signed root included here; it was not checked against your trusted roots.</source>
        <translation>Das hier mitgelieferte selbstsignierte Stammzertifikat; es wurde nicht gegen Ihre vertrauenswürdigen Stammzertifikate geprüft.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trusted root</source>
        <translation>Vertrauenswürdiges Stammzertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+93"/>
        <source>Trusted</source>
        <translation>Vertrauenswürdig</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>Trusted: one of the trust anchors.</source>
        <translation>Vertrauenswürdig: einer der Vertrauensanker.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trusted: found among your trusted roots.</source>
        <translation>Vertrauenswürdig: unter Ihren vertrauenswürdigen Stammzertifikaten gefunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not in the chain</source>
        <translation>Nicht in der Kette</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent along, but not part of the chain that was built: it is not needed.</source>
        <translation>Mitgesendet, aber nicht Teil der gebildeten Kette: Es wird nicht benötigt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chains to the included root</source>
        <translation>Kette führt zum mitgelieferten Stammzertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chains to a trusted root</source>
        <translation>Kette führt zu einem vertrauenswürdigen Stammzertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its chain verifies up to the root included here.</source>
        <translation>Seine Kette lässt sich bis zum hier mitgelieferten Stammzertifikat verifizieren.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its chain verifies up to one of your trusted roots.</source>
        <translation>Seine Kette lässt sich bis zu einem Ihrer vertrauenswürdigen Stammzertifikate verifizieren.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chain does not verify</source>
        <translation>Kette nicht verifizierbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid itself, but its chain does not verify: %1.</source>
        <translation>Selbst gültig, aber seine Kette lässt sich nicht verifizieren: %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chain fails at %1</source>
        <translation>Kette scheitert bei %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid itself, but its chain does not verify: %1 at %2 (depth %3).</source>
        <translation>Selbst gültig, aber seine Kette lässt sich nicht verifizieren: %1 bei %2 (Tiefe %3).</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+18"/>
        <location line="+49"/>
        <source>Self-signed</source>
        <translation>Selbstsigniert</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Self-signed: it is its own issuer.</source>
        <translation>Selbstsigniert: Es ist sein eigener Aussteller.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Self-signed root</source>
        <translation>Selbstsigniertes Stammzertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A self-signed root certificate: trusted only where a trust store holds it.</source>
        <translation>Ein selbstsigniertes Stammzertifikat: nur dort vertrauenswürdig, wo ein Zertifikatsspeicher es enthält.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Self-signed and not a CA: it can be trusted only as itself.</source>
        <translation>Selbstsigniert und keine CA: Man kann nur genau diesem Zertifikat vertrauen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Issuer not included</source>
        <translation>Aussteller nicht enthalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its issuer %1 is not among these certificates.</source>
        <translation>Sein Aussteller %1 ist nicht unter diesen Zertifikaten.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Valid until %1</source>
        <translation>Gültig bis %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid until %1; not checked against trusted roots.</source>
        <translation>Gültig bis %1; nicht gegen vertrauenswürdige Stammzertifikate geprüft.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Valid</source>
        <translation>Gültig</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Expiring</source>
        <translation>Läuft bald ab</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name mismatch</source>
        <translation>Name passt nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not yet valid</source>
        <translation>Noch nicht gültig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>today</source>
        <extracomment>Completes &quot;Expired %1&quot;, &quot;Expires %1&quot; and &quot;Expired on &lt;date&gt; (%2)&quot;.</extracomment>
        <translation>heute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tomorrow</source>
        <translation>morgen</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>in %Ln day(s)</source>
        <translation>
            <numerusform>in %Ln Tag</numerusform>
            <numerusform>in %Ln Tagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%Ln day(s) ago</source>
        <translation>
            <numerusform>vor %Ln Tag</numerusform>
            <numerusform>vor %Ln Tagen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>yesterday</source>
        <translation>gestern</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateDetailsTree</name>
    <message>
        <location filename="../ui/chain/CertificateDetailsTree.cpp" line="+57"/>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Copy Value</source>
        <translation>Wert &amp;kopieren</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verification errors</source>
        <translation>Verifizierungsfehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>depth %1</source>
        <translation>Tiefe %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Serial number</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Validity</source>
        <translation>Gültigkeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not before</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not after</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expires</source>
        <translation>Ablauf</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Subject alternative names</source>
        <translation>Alternative Inhabernamen (SAN)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>, %1 bits</source>
        <translation>, %1 Bit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Public key</source>
        <translation>Öffentlicher Schlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signature algorithm</source>
        <translation>Signaturalgorithmus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none (not a CA)</source>
        <translation>keine (keine CA)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not a CA</source>
        <translation>keine CA</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CA, path length %1</source>
        <translation>CA, Pfadlänge %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CA</source>
        <translation>CA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Basic constraints</source>
        <translation>Basiseinschränkungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key usage</source>
        <translation>Schlüsselverwendung</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>not restricted</source>
        <translation>nicht eingeschränkt</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Extended key usage</source>
        <translation>Erweiterte Schlüsselverwendung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Subject key identifier</source>
        <translation>Schlüsselkennung des Inhabers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authority key identifier</source>
        <translation>Schlüsselkennung der Zertifizierungsstelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprints</source>
        <translation>Fingerabdrücke</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateListModel</name>
    <message>
        <location filename="../ui/chain/CertificateListModel.cpp" line="+46"/>
        <source>%1, %2: %3, issued by %4</source>
        <translation>%1, %2: %3, ausgestellt von %4</translation>
    </message>
</context>
<context>
    <name>vf::ui::CertificateRowBuilder</name>
    <message>
        <location filename="../ui/chain/CertificateRowBuilder.cpp" line="+30"/>
        <source>Leaf</source>
        <translation>Endzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Intermediate</source>
        <translation>Zwischenzertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Intermediate (trust store)</source>
        <translation>Zwischenzertifikat (Zertifikatsspeicher)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Root</source>
        <translation>Stammzertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Root (trust store)</source>
        <translation>Stammzertifikat (Zertifikatsspeicher)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not in chain</source>
        <translation>Nicht in der Kette</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Root CA</source>
        <translation>Stamm-CA</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CA</source>
        <translation>CA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End entity</source>
        <translation>Endentität</translation>
    </message>
</context>
<context>
    <name>vf::ui::ChainBrowser</name>
    <message>
        <location filename="../ui/chain/ChainBrowser.cpp" line="+94"/>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Open Certificate File</source>
        <translation>Zertifikatsdatei öffnen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Certificates (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx *.ca-bundle)</source>
        <translation>Zertifikate (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx *.ca-bundle)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>The chain verifies up to a trusted root.</source>
        <translation>Die Kette lässt sich bis zu einem vertrauenswürdigen Stammzertifikat verifizieren.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chain does not verify: %1 (depth %2).</source>
        <translation>Die Kette lässt sich nicht verifizieren: %1 (Tiefe %2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The chain verifies, but the server certificate does not name %1.</source>
        <translation>Die Kette lässt sich verifizieren, aber das Serverzertifikat nennt %1 nicht.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checked as a chain against the root included with it, not against your trusted roots.</source>
        <translation>Als Kette gegen das mitgelieferte Stammzertifikat geprüft, nicht gegen Ihre vertrauenswürdigen Stammzertifikate.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No file was given.</source>
        <translation>Es wurde keine Datei angegeben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file “%1” does not exist.</source>
        <translation>Die Datei „%1“ existiert nicht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“%1” is a directory, not a certificate file.</source>
        <translation>„%1“ ist ein Verzeichnis, keine Zertifikatsdatei.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>No certificate found.</source>
        <translation>Kein Zertifikat gefunden.</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%Ln certificate(s) so far…</source>
        <translation>
            <numerusform>%Ln Zertifikat bisher…</numerusform>
            <numerusform>%Ln Zertifikate bisher…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%Ln certificate(s)</source>
        <translation>
            <numerusform>%Ln Zertifikat</numerusform>
            <numerusform>%Ln Zertifikate</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>%Ln certificate(s), not checked against your trusted roots.</source>
        <translation>
            <numerusform>%Ln Zertifikat, nicht gegen Ihre vertrauenswürdigen Stammzertifikate geprüft.</numerusform>
            <numerusform>%Ln Zertifikate, nicht gegen Ihre vertrauenswürdigen Stammzertifikate geprüft.</numerusform>
        </translation>
    </message>
    <message>
        <location line="-26"/>
        <source>%L1 of %L2 certificates match</source>
        <translation>%L1 von %L2 Zertifikaten passen</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Expired: %L1.</source>
        <translation>Abgelaufen: %L1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expiring within %1 days: %L2.</source>
        <translation>Laufen innerhalb von %1 Tagen ab: %L2.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Export Certificate as PEM</source>
        <translation>Zertifikat als PEM exportieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export Certificate as DER</source>
        <translation>Zertifikat als DER exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEM certificate (*.crt *.pem)</source>
        <translation>PEM-Zertifikat (*.crt *.pem)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DER certificate (*.der *.cer)</source>
        <translation>DER-Zertifikat (*.der *.cer)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export All Certificates as PEM</source>
        <translation>Alle Zertifikate als PEM exportieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM certificates (*.crt *.pem)</source>
        <translation>PEM-Zertifikate (*.crt *.pem)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Could not save “%1”: %2</source>
        <translation>„%1“ konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved %1.</source>
        <translation>%1 gespeichert.</translation>
    </message>
</context>
<context>
    <name>vf::ui::ChainCardDelegate</name>
    <message>
        <location filename="../ui/chain/ChainCardDelegate.cpp" line="+132"/>
        <source>Issued by %1 · until %2</source>
        <translation>Ausgestellt von %1 · bis %2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>issued by</source>
        <translation>ausgestellt von</translation>
    </message>
</context>
<context>
    <name>vf::ui::DeleteProfileCommand</name>
    <message>
        <location filename="../ui/profiles/DeleteProfileCommand.cpp" line="+14"/>
        <source>Delete profile “%1”</source>
        <translation>Profil „%1“ löschen</translation>
    </message>
</context>
<context>
    <name>vf::ui::ExportDialog</name>
    <message>
        <location filename="../ui/interop/ExportDialog.cpp" line="+62"/>
        <source>Export “%1”</source>
        <translation>„%1“ exportieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the connection “%1” in a form other tools read. Secrets stay out unless you include them.</source>
        <translation>Die Verbindung „%1“ in einer Form schreiben, die andere Werkzeuge lesen. Geheimnisse bleiben draußen, sofern Sie sie nicht einschließen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This profile holds no password or key password in this session; nothing secret can be exported</source>
        <translation>Dieses Profil enthält in dieser Sitzung weder Passwort noch Schlüsselpasswort; es kann nichts Geheimes exportiert werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Add to %1</source>
        <translation>Zu %1 &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The text below now holds secrets in plain text. Anyone who sees it, and any file or clipboard it goes to, has them. Files are saved readable only by you (0600).</source>
        <translation>Der Text unten enthält jetzt Geheimnisse im Klartext. Wer ihn sieht, kennt sie, und jede Datei oder Zwischenablage, in die er gelangt, enthält sie. Dateien werden nur für Sie lesbar gespeichert (0600).</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Copied, with the secrets. Clear the clipboard when you no longer need it.</source>
        <translation>Mit den Geheimnissen kopiert. Leeren Sie die Zwischenablage, wenn Sie sie nicht mehr benötigen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copied to the clipboard.</source>
        <translation>In die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save Export</source>
        <translation>Export speichern</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Saved to %1, readable only by you (0600).</source>
        <translation>In %1 gespeichert, nur für Sie lesbar (0600).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved to %1.</source>
        <translation>In %1 gespeichert.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 already has this line; nothing was added.</source>
        <translation>%1 enthält diese Zeile bereits; es wurde nichts hinzugefügt.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Created %1 (mode 0600) with %n line(s).</source>
        <translation>
            <numerusform>%1 (Modus 0600) mit %n Zeile angelegt.</numerusform>
            <numerusform>%1 (Modus 0600) mit %n Zeilen angelegt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Added %n line(s) to %1.</source>
        <translation>
            <numerusform>%n Zeile zu %1 hinzugefügt.</numerusform>
            <numerusform>%n Zeilen zu %1 hinzugefügt.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its permissions were too open for libpq and are now 0600.</source>
        <translation>Ihre Berechtigungen waren für libpq zu offen und sind jetzt 0600.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save the Key as PKCS#8 DER</source>
        <translation>Schlüssel als PKCS#8-DER speichern</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PKCS#8 DER keys (*.pk8)</source>
        <translation>PKCS#8-DER-Schlüssel (*.pk8)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Wrote %1: PKCS#8 DER, readable only by you (0600). Use it as sslkey for pgJDBC.</source>
        <translation>%1 geschrieben: PKCS#8-DER, nur für Sie lesbar (0600). Verwenden Sie die Datei als sslkey für pgJDBC.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Key Passphrase</source>
        <translation>Passphrase des Schlüssels</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>That passphrase does not open the key. Passphrase of %1:</source>
        <translation>Diese Passphrase öffnet den Schlüssel nicht. Passphrase von %1:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key is encrypted. Passphrase of %1:</source>
        <translation>Der Schlüssel ist verschlüsselt. Passphrase von %1:</translation>
    </message>
</context>
<context>
    <name>vf::ui::FileField</name>
    <message>
        <location filename="../ui/widgets/FileField.cpp" line="+54"/>
        <source>PEM text</source>
        <translation>PEM-Text</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>binary (DER)</source>
        <translation>binär (DER)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>PEM text</source>
        <comment>label</comment>
        <extracomment>Label at the start of a status line, followed by &quot;: &quot; and what the file holds.</extracomment>
        <translation>PEM-Text</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Binary (DER)</source>
        <extracomment>Label at the start of a status line, followed by &quot;: &quot; and what the file holds.</extracomment>
        <translation>Binär (DER)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Certificate</source>
        <comment>file kind</comment>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Private key</source>
        <translation>Privater Schlüssel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Public key</source>
        <translation>Öffentlicher Schlüssel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate signing request (CSR)</source>
        <translation>Zertifikatsanforderung (CSR)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PKCS#12 bundle (.p12/.pfx)</source>
        <translation>PKCS#12-Bundle (.p12/.pfx)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PKCS#7 certificate bundle (.p7b)</source>
        <translation>PKCS#7-Zertifikatsbundle (.p7b)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate revocation list (CRL)</source>
        <translation>Zertifikatssperrliste (CRL)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SSH key</source>
        <translation>SSH-Schlüssel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Directory</source>
        <translation>Verzeichnis</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unrecognised data</source>
        <translation>Nicht erkannte Daten</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restrict to owner (0600)</source>
        <translation>Auf Besitzer beschränken (0600)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+478"/>
        <source>Convert to PEM…</source>
        <translation>In PEM konvertieren…</translation>
    </message>
    <message>
        <location line="-459"/>
        <source>Change the file&apos;s mode to 0600 (read and write by you only), as libpq requires for private keys</source>
        <translation>Die Dateirechte auf 0600 setzen (Lesen und Schreiben nur durch Sie), wie libpq es für private Schlüssel verlangt</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Replace files?</source>
        <translation>Dateien ersetzen?</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Choose a directory</source>
        <translation>Verzeichnis auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a file</source>
        <translation>Datei auswählen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Directory path</source>
        <translation>Verzeichnispfad</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>File path, or drop a file here</source>
        <translation>Dateipfad, oder Datei hierher ziehen</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+367"/>
        <source>Choose %1</source>
        <translation>%1 auswählen</translation>
    </message>
    <message>
        <location line="-366"/>
        <source>%1 check</source>
        <translation>Prüfung: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password for %1</source>
        <translation>Passwort für %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try the password for %1</source>
        <translation>Passwort für %1 ausprobieren</translation>
    </message>
    <message numerus="yes">
        <location line="+114"/>
        <source>Directory with %n CRL(s) that libpq will find</source>
        <translation>
            <numerusform>Verzeichnis mit %n CRL, die libpq finden wird</numerusform>
            <numerusform>Verzeichnis mit %n CRLs, die libpq finden wird</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>PKCS#12 bundle (binary): %n certificate(s)</source>
        <translation>
            <numerusform>PKCS#12-Bundle (binär): %n Zertifikat</numerusform>
            <numerusform>PKCS#12-Bundle (binär): %n Zertifikate</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>PKCS#12 bundle (binary): %n certificate(s) and a %1 private key</source>
        <extracomment>%1 is the key type, e.g. RSA or EC.</extracomment>
        <translation>
            <numerusform>PKCS#12-Bundle (binär): %n Zertifikat und ein privater %1-Schlüssel</numerusform>
            <numerusform>PKCS#12-Bundle (binär): %n Zertifikate und ein privater %1-Schlüssel</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%1: %n certificate(s) and a private key</source>
        <extracomment>%1 is what the file is: &quot;PEM text&quot;, &quot;Binary (DER)&quot; or &quot;PKCS#7 bundle, …&quot;.</extracomment>
        <translation>
            <numerusform>%1: %n Zertifikat und ein privater Schlüssel</numerusform>
            <numerusform>%1: %n Zertifikate und ein privater Schlüssel</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1: %n certificate(s)</source>
        <translation>
            <numerusform>%1: %n Zertifikat</numerusform>
            <numerusform>%1: %n Zertifikate</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: encrypted private key (%2)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key file format (PKCS#8, PKCS#1 …).</extracomment>
        <translation>%1: verschlüsselter privater Schlüssel (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: encrypted %2 %3-bit private key (%4)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key type (RSA, EC …), %3 its size in bits, %4 the key file format (PKCS#8, PKCS#1 …).</extracomment>
        <translation>%1: verschlüsselter privater %2-Schlüssel mit %3 Bit (%4)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: %2 %3-bit private key (%4)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key type (RSA, EC …), %3 its size in bits, %4 the key file format (PKCS#8, PKCS#1 …).</extracomment>
        <translation>%1: privater %2-Schlüssel mit %3 Bit (%4)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2 private key (%3)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;, %2 the key type (RSA, EC …), %3 the key file format.</extracomment>
        <translation>%1: privater %2-Schlüssel (%3)</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%1: %n CRL(s)</source>
        <extracomment>%1 is &quot;PEM text&quot; or &quot;Binary (DER)&quot;.</extracomment>
        <translation>
            <numerusform>%1: %n CRL</numerusform>
            <numerusform>%1: %n CRLs</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Expired on %1 (today)</source>
        <translation>Am %1 abgelaufen (heute)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Expired on %1 (%n day(s) ago)</source>
        <translation>
            <numerusform>Am %1 abgelaufen (vor %n Tag)</numerusform>
            <numerusform>Am %1 abgelaufen (vor %n Tagen)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Expires on %1, today</source>
        <translation>Läuft am %1 ab, also heute</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Expires on %1, in %n day(s)</source>
        <translation>
            <numerusform>Läuft am %1 ab, in %n Tag</numerusform>
            <numerusform>Läuft am %1 ab, in %n Tagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n other certificate(s) in this file have expired</source>
        <translation>
            <numerusform>%n weiteres Zertifikat in dieser Datei ist abgelaufen</numerusform>
            <numerusform>%n weitere Zertifikate in dieser Datei sind abgelaufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n other certificate(s) in this file expire within 30 days</source>
        <translation>
            <numerusform>%n weiteres Zertifikat in dieser Datei läuft innerhalb von 30 Tagen ab</numerusform>
            <numerusform>%n weitere Zertifikate in dieser Datei laufen innerhalb von 30 Tagen ab</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The password does not open this bundle.</source>
        <translation>Das Passwort öffnet dieses Bundle nicht.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password does not open this key.</source>
        <translation>Das Passwort öffnet diesen Schlüssel nicht.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The password opens this bundle.</source>
        <translation>Das Passwort öffnet dieses Bundle.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password opens this key.</source>
        <translation>Das Passwort öffnet diesen Schlüssel.</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>%1 (0600)</source>
        <extracomment>%1 is the path of a private key file written with mode 0600 (read and write by its owner only).</extracomment>
        <translation>%1 (0600)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wrote %1 and %2.</source>
        <extracomment>%1 and %2 are the paths of the certificate and the key file written.</extracomment>
        <translation>%1 und %2 geschrieben.</translation>
    </message>
    <message>
        <location line="-344"/>
        <source>PKCS#12 bundle (binary)</source>
        <translation>PKCS#12-Bundle (binär)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>PKCS#7 bundle, %1</source>
        <translation>PKCS#7-Bundle, %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1: certificate signing request for %2</source>
        <translation>%1: Zertifikatsanforderung (CSR) für %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>First certificate</source>
        <translation>Erstes Zertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2, valid until %3</source>
        <translation>%1: %2, gültig bis %3</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not valid before %1</source>
        <translation>Erst ab %1 gültig</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The CRL of %1 is out of date (next update was due %2): OpenSSL rejects server certificates with &quot;CRL has expired&quot;</source>
        <translation>Die CRL von %1 ist veraltet (nächste Aktualisierung war fällig am %2): OpenSSL lehnt Serverzertifikate mit „CRL has expired“ ab</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>type its password in %1</source>
        <translation>Geben Sie das Passwort im Feld „%1“ ein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>enter its password below</source>
        <translation>Geben Sie das Passwort unten ein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This bundle is password-protected: %1.</source>
        <translation>Dieses Bundle ist passwortgeschützt: %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This key is encrypted: %1.</source>
        <translation>Dieser Schlüssel ist verschlüsselt: %1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This bundle is password-protected: enter its password to see what it holds.</source>
        <translation>Dieses Bundle ist passwortgeschützt: Geben Sie das Passwort ein, um seinen Inhalt zu sehen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>libpq cannot read PKCS#12 bundles: convert it to PEM files.</source>
        <translation>libpq kann keine PKCS#12-Bundles lesen: Konvertieren Sie es in PEM-Dateien.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Matches %1 (%2)</source>
        <translation>Passt zu %1 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Does not belong to %1 (%2): %3</source>
        <translation>Gehört nicht zu %1 (%2): %3</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not set here: libpq uses %1 (%2)</source>
        <translation>Hier nicht gesetzt: libpq verwendet %1 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>libpq can use this file here.</source>
        <translation>libpq kann diese Datei hier verwenden.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Extract PEM certificate and key…</source>
        <translation>PEM-Zertifikat und -Schlüssel extrahieren…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Write the PEM files libpq reads next to this file (a private key with mode 0600); asks before replacing a file</source>
        <translation>Die PEM-Dateien, die libpq liest, neben diese Datei schreiben (einen privaten Schlüssel mit Modus 0600); fragt nach, bevor eine Datei ersetzt wird</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Keys (*.key *.pem *.der *.p12 *.pfx)</source>
        <translation>Schlüssel (*.key *.pem *.der *.p12 *.pfx)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRLs (*.crl *.pem *.der)</source>
        <translation>CRLs (*.crl *.pem *.der)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx)</source>
        <translation>Zertifikate (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Restricted to its owner (0600).</source>
        <translation>Auf den Besitzer beschränkt (0600).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not change the permissions of &quot;%1&quot;.</source>
        <translation>Die Berechtigungen von „%1“ konnten nicht geändert werden.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Wrote %1.</source>
        <extracomment>%1 is the path of the file written (or a list of paths).</extracomment>
        <translation>%1 geschrieben.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>These files exist already and would be replaced:
%1

Replace them?</source>
        <translation>Diese Dateien existieren bereits und würden ersetzt:
%1

Ersetzen?</translation>
    </message>
</context>
<context>
    <name>vf::ui::ImportDialog</name>
    <message>
        <location filename="../ui/interop/ImportDialog.cpp" line="+52"/>
        <source>host=db.example.com dbname=app user=alice sslmode=verify-full
or
postgresql://alice@db.example.com/app?sslmode=verify-full</source>
        <translation>host=db.example.com dbname=app user=alice sslmode=verify-full
oder
postgresql://alice@db.example.com/app?sslmode=verify-full</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Create a profile for each connection chosen on this tab</source>
        <translation>Für jede auf dieser Registerkarte ausgewählte Verbindung ein Profil anlegen</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Choose the file pgAdmin exported.</source>
        <translation>Wählen Sie die Datei, die pgAdmin exportiert hat.</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Comment: %1</source>
        <translation>Kommentar: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nothing pasted yet.</source>
        <translation>Noch nichts eingefügt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not a valid %1: %2</source>
        <translation>Als %1 ungültig: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>Recognised a %1 with %n setting(s).</source>
        <translation>
            <numerusform>%1 mit %n Einstellung erkannt.</numerusform>
            <numerusform>%1 mit %n Einstellungen erkannt.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Reading the service files…</source>
        <translation>Servicedateien werden gelesen…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Your service file</source>
        <translation>Ihre Servicedatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System service file</source>
        <translation>Servicedatei des Systems</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>does not exist</source>
        <translation>existiert nicht</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n section(s)</source>
        <translation>
            <numerusform>%n Abschnitt</numerusform>
            <numerusform>%n Abschnitte</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2 (%3)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tick to import the section [%1] as a profile</source>
        <translation>Ankreuzen, um den Abschnitt [%1] als Profil zu importieren</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>libpq cannot use this section</source>
        <translation>libpq kann diesen Abschnitt nicht verwenden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No service file has a section libpq could use.</source>
        <translation>Keine Servicedatei hat einen Abschnitt, den libpq verwenden könnte.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Select a section to see its settings.</source>
        <translation>Wählen Sie einen Abschnitt aus, um seine Einstellungen zu sehen.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Choose a pgAdmin Server Export</source>
        <translation>pgAdmin-Serverexport auswählen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pgAdmin server exports (*.json)</source>
        <translation>pgAdmin-Serverexporte (*.json)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%n server(s) in the file.</source>
        <translation>
            <numerusform>%n Server in der Datei.</numerusform>
            <numerusform>%n Server in der Datei.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n cannot be imported (select one to see why).</source>
        <translation>
            <numerusform>%n kann nicht importiert werden (wählen Sie ihn aus, um den Grund zu sehen).</numerusform>
            <numerusform>%n können nicht importiert werden (wählen Sie einen aus, um den Grund zu sehen).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Nothing to note: every setting of this server carries over.</source>
        <translation>Nichts zu beachten: Jede Einstellung dieses Servers wird übernommen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Reading the environment…</source>
        <translation>Umgebung wird gelesen…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Imported as the profile “%1”.</source>
        <translation>Als Profil „%1“ importiert.</translation>
    </message>
    <message numerus="yes">
        <location line="+61"/>
        <source>&amp;Import %n Profile(s)</source>
        <translation>
            <numerusform>%n Profil &amp;importieren</numerusform>
            <numerusform>%n Profile &amp;importieren</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
</context>
<context>
    <name>vf::ui::LanguageMenu</name>
    <message>
        <location filename="../ui/i18n/LanguageMenu.cpp" line="+21"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System Language (%1)</source>
        <translation>Systemsprache (%1)</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Change Language</source>
        <translation>Sprache ändern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart &amp;Now</source>
        <translation>&amp;Jetzt neu starten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Later</source>
        <translation>&amp;Später</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>VerifyFull will appear in %1 after a restart.</source>
        <translation>VerifyFull erscheint nach einem Neustart auf %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart now? Your profiles are saved first.</source>
        <translation>Jetzt neu starten? Ihre Profile werden vorher gespeichert.</translation>
    </message>
</context>
<context>
    <name>vf::ui::MainWindow</name>
    <message>
        <location filename="../ui/main/MainWindow.cpp" line="+154"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Select or create a profile to see what its sslmode protects against.</source>
        <translation>Wählen Sie ein Profil aus oder legen Sie eines an, um zu sehen, wovor sein sslmode schützt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Import Connections…</source>
        <translation>Verbindungen &amp;importieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New profiles from a connection string or URI, pg_service.conf, pgAdmin&apos;s servers.json or your environment</source>
        <translation>Neue Profile aus einer Verbindungszeichenfolge oder URI, pg_service.conf, der servers.json von pgAdmin oder Ihrer Umgebung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export Connection…</source>
        <translation>Verbindung &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The selected profile as a connection string, URI, service section, .pgpass line, psql command, or psycopg, node-postgres and JDBC code</source>
        <translation>Das ausgewählte Profil als Verbindungszeichenfolge, URI, Serviceabschnitt, .pgpass-Zeile, psql-Befehl oder als Code für psycopg, node-postgres und JDBC</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Select a profile to export.</source>
        <translation>Wählen Sie ein Profil zum Exportieren aus.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The server&apos;s certificate chain is in the Certificates tab (Ctrl+2).</source>
        <translation>Die Zertifikatskette des Servers finden Sie auf der Registerkarte „Zertifikate“ (Strg+2).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The profiles could not be loaded: %1. %2</source>
        <translation>Die Profile konnten nicht geladen werden: %1. %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The profile file was upgraded to the current format; the old one is kept next to it as %1.</source>
        <translation>Die Profildatei wurde auf das aktuelle Format aktualisiert; die alte Datei wird daneben als %1 aufbewahrt.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The profile file could not be used: %1. It was kept as %2, and the profiles start again from what could be read from it.</source>
        <translation>Die Profildatei konnte nicht verwendet werden: %1. Sie wurde als %2 aufbewahrt, und die Profile beginnen neu mit dem, was daraus gelesen werden konnte.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The profile file %1 is open read-only: %2. Changes made here are not saved.</source>
        <translation>Die Profildatei %1 ist schreibgeschützt geöffnet: %2. Hier vorgenommene Änderungen werden nicht gespeichert.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“%1” was changed here and in another VerifyFull at the same time. Both versions are kept: the other one as “%2”.</source>
        <translation>„%1“ wurde gleichzeitig hier und in einem anderen VerifyFull geändert. Beide Versionen werden behalten: die andere als „%2“.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Profiles changed by another VerifyFull were loaded.</source>
        <translation>Von einem anderen VerifyFull geänderte Profile wurden geladen.</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Reading the keychain…</source>
        <translation>Schlüsselbund wird gelesen…</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Saving to the keychain…</source>
        <translation>Wird im Schlüsselbund gespeichert…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No keychain is available (no Secret Service is running), so passwords cannot be remembered. They are asked for when a test needs them and kept only until VerifyFull closes; they are never written to disk.</source>
        <translation>Es ist kein Schlüsselbund verfügbar (kein Secret Service aktiv), daher können Passwörter nicht gemerkt werden. Sie werden abgefragt, wenn ein Test sie benötigt, und nur aufbewahrt, bis VerifyFull beendet wird; sie werden nie auf die Festplatte geschrieben.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>the password</source>
        <translation>das Passwort</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the key password</source>
        <translation>das Schlüsselpasswort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the keychain is locked or refused access</source>
        <translation>der Schlüsselbund ist gesperrt oder hat den Zugriff verweigert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The keychain could not handle %1 of “%2”: %3. It is asked for when a test needs it.</source>
        <translation>Der Schlüsselbund konnte %1 von „%2“ nicht verarbeiten: %3. Es wird abgefragt, wenn ein Test es benötigt.</translation>
    </message>
    <message>
        <location line="-148"/>
        <source>Could not save the CA certificate to %1: %2</source>
        <translation>Das CA-Zertifikat konnte nicht unter %1 gespeichert werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved the CA certificate as %1; the profile now uses verify-full.</source>
        <translation>Das CA-Zertifikat wurde als %1 gespeichert; das Profil verwendet jetzt verify-full.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>About VerifyFull</source>
        <translation>Über VerifyFull</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;VerifyFull %1&lt;/b&gt;&lt;p&gt;Get PostgreSQL TLS connections right: settings, certificates and a clear diagnosis, the way libpq does it.&lt;/p&gt;</source>
        <translation>&lt;b&gt;VerifyFull %1&lt;/b&gt;&lt;p&gt;PostgreSQL-TLS-Verbindungen richtig einrichten: Einstellungen, Zertifikate und eine klare Diagnose – so, wie libpq es macht.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>vf::ui::MessageBar</name>
    <message>
        <location filename="../ui/main/MessageBar.cpp" line="+63"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide this message</source>
        <translation>Diese Meldung ausblenden</translation>
    </message>
</context>
<context>
    <name>vf::ui::PemConverter</name>
    <message>
        <location filename="../ui/widgets/PemConverter.cpp" line="+122"/>
        <source>could not replace &quot;%1&quot;</source>
        <translation>„%1“ konnte nicht ersetzt werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the file or choose another folder, then convert again.</source>
        <translation>Entfernen Sie die Datei oder wählen Sie einen anderen Ordner, und konvertieren Sie dann erneut.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>could not create &quot;%1&quot;: %2</source>
        <translation>„%1“ konnte nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the folder is writable.</source>
        <translation>Prüfen Sie, ob der Ordner beschreibbar ist.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not write &quot;%1&quot;: %2</source>
        <translation>„%1“ konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the free space and that the folder is writable.</source>
        <translation>Prüfen Sie den freien Speicherplatz und ob der Ordner beschreibbar ist.</translation>
    </message>
</context>
<context>
    <name>vf::ui::Profile</name>
    <message>
        <location filename="../ui/profiles/Profile.cpp" line="+57"/>
        <source>(local socket)</source>
        <translation>(lokaler Socket)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>passed</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not tested</source>
        <translation>nicht getestet</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>a profile has no valid id</source>
        <translation>ein Profil hat keine gültige ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The entry was written by another program or edited by hand.</source>
        <translation>Der Eintrag wurde von einem anderen Programm geschrieben oder von Hand bearbeitet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>profile &quot;%1&quot; has no list of settings</source>
        <translation>Profil „%1“ hat keine Liste von Einstellungen</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileEditor</name>
    <message>
        <location filename="../ui/profiles/ProfileEditor.cpp" line="+42"/>
        <location line="+29"/>
        <location line="+6"/>
        <location line="+8"/>
        <location line="+9"/>
        <location line="+9"/>
        <source>Not set</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>Not set here: libpq uses PGSSLMODE or a service file if they set it, else prefer (verify-full with sslrootcert=system).</source>
        <translation>Hier nicht gesetzt: libpq verwendet PGSSLMODE oder eine Servicedatei, falls diese ihn setzen, sonst prefer (verify-full mit sslrootcert=system).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>disable — no encryption</source>
        <translation>disable – keine Verschlüsselung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Never encrypted: everything, passwords included, crosses the network as plain text.</source>
        <translation>Nie verschlüsselt: Alles, einschließlich Passwörter, geht im Klartext über das Netzwerk.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>allow — plaintext first</source>
        <translation>allow – zuerst unverschlüsselt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plaintext first; TLS only if the server insists. The server is never checked.</source>
        <translation>Zuerst unverschlüsselt; TLS nur, wenn der Server darauf besteht. Der Server wird nie geprüft.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>prefer — TLS if offered</source>
        <translation>prefer – TLS, falls angeboten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS when the server offers it, otherwise silently plain text (libpq&apos;s default). The server is not checked.</source>
        <translation>TLS, wenn der Server es anbietet, sonst stillschweigend Klartext (Standard von libpq). Der Server wird nicht geprüft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>require — encrypted, server not checked</source>
        <translation>require – verschlüsselt, Server nicht geprüft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Always encrypted, but any server certificate is accepted (unless a root certificate file exists: then it behaves as verify-ca).</source>
        <translation>Immer verschlüsselt, aber jedes Serverzertifikat wird akzeptiert (außer es existiert eine Stammzertifikatsdatei: dann verhält es sich wie verify-ca).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>verify-ca — encrypted, CA checked</source>
        <translation>verify-ca – verschlüsselt, CA geprüft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encrypted, and the server&apos;s certificate must come from your CA; the host name is not checked.</source>
        <translation>Verschlüsselt, und das Zertifikat des Servers muss von Ihrer CA stammen; der Hostname wird nicht geprüft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>verify-full — CA and host name checked</source>
        <translation>verify-full – CA und Hostname geprüft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encrypted, from your CA, and issued for the host you connect to. The safe choice.</source>
        <translation>Verschlüsselt, von Ihrer CA und für den Host ausgestellt, mit dem Sie sich verbinden. Die sichere Wahl.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>On — send the host name (1)</source>
        <translation>An – Hostnamen senden (1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off (0)</source>
        <translation>Aus (0)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>postgres — ask the server first</source>
        <translation>postgres – zuerst beim Server anfragen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Works with every server version.</source>
        <translation>Funktioniert mit jeder Serverversion.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>direct — start with TLS (PostgreSQL 17+)</source>
        <translation>direct – direkt mit TLS beginnen (PostgreSQL 17+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saves a round trip; needs a PostgreSQL 17+ server and sslmode require or stricter.</source>
        <translation>Spart einen Round-Trip; benötigt einen Server ab PostgreSQL 17 und sslmode require oder strenger.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>disable — never send a certificate</source>
        <translation>disable – nie ein Zertifikat senden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>allow — send one if asked</source>
        <translation>allow – auf Anforderung eines senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>require — the server must ask for one</source>
        <translation>require – der Server muss eines anfordern</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>disable</source>
        <translation>disable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prefer — when the server supports it</source>
        <translation>prefer – wenn der Server es unterstützt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>require — refuse without it</source>
        <translation>require – ohne Channel Binding ablehnen</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>Root certificate</source>
        <translation>Stammzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL file</source>
        <translation>CRL-Datei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRL directory</source>
        <translation>CRL-Verzeichnis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client certificate</source>
        <translation>Clientzertifikat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client key</source>
        <translation>Clientschlüssel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key password</source>
        <translation>Schlüsselpasswort</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the client certificate</source>
        <translation>dem Clientzertifikat</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Where %1 comes from</source>
        <translation>Herkunft von %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>No keychain is available (no Secret Service is running), so this is asked for when a test needs it and kept until VerifyFull closes.</source>
        <translation>Es ist kein Schlüsselbund verfügbar (kein Secret Service aktiv), daher wird dies abgefragt, wenn ein Test es benötigt, und aufbewahrt, bis VerifyFull beendet wird.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Keep it in the system keychain (Secret Service), never in the profile file. Off: it is asked for when a test needs it and kept until VerifyFull closes.</source>
        <translation>Im Schlüsselbund des Systems (Secret Service) aufbewahren, nie in der Profildatei. Aus: Es wird abgefragt, wenn ein Test es benötigt, und aufbewahrt, bis VerifyFull beendet wird.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>From the keychain when needed</source>
        <translation>Bei Bedarf aus dem Schlüsselbund</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asked when needed</source>
        <translation>Wird bei Bedarf abgefragt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>“%1” (not a valid value)</source>
        <translation>„%1“ (kein gültiger Wert)</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>libpq would refuse these settings: %1</source>
        <translation>libpq würde diese Einstellungen ablehnen: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Uses service “%1” (%2) from %3</source>
        <translation>Verwendet Service „%1“ (%2) aus %3</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Not set here: libpq uses %1 (%2)</source>
        <translation>Hier nicht gesetzt: libpq verwendet %1 (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not set here, and there is no %1: libpq sends no password unless the server asks, and then fails.</source>
        <translation>Hier nicht gesetzt, und %1 existiert nicht: libpq sendet kein Passwort, bis der Server eines verlangt, und scheitert dann.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not set here: libpq looks for the password in %1 (%2)</source>
        <translation>Hier nicht gesetzt: libpq sucht das Passwort in %1 (%2)</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Not used: libpq loads no CRL with the system&apos;s trusted roots</source>
        <translation>Nicht verwendet: libpq lädt mit den vertrauenswürdigen Stammzertifikaten des Systems keine CRL</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not set here: libpq uses the system&apos;s trusted roots (%1)</source>
        <translation>Hier nicht gesetzt: libpq verwendet die vertrauenswürdigen Stammzertifikate des Systems (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not set here: libpq would use %1, which does not exist</source>
        <translation>Hier nicht gesetzt: libpq würde %1 verwenden, diese Datei existiert aber nicht</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Protection: %1</source>
        <translation>Schutz: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What this protects against</source>
        <translation>Wovor das schützt</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Settings replaced.</source>
        <translation>Einstellungen ersetzt.</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileListModel</name>
    <message>
        <location filename="../ui/profiles/ProfileListModel.cpp" line="+29"/>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sslmode: %1</source>
        <translation>sslmode: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not set (libpq&apos;s default)</source>
        <translation>nicht gesetzt (Standard von libpq)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last test: %1</source>
        <translation>Letzter Test: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1, %2, last test %3</source>
        <translation>%1, %2, letzter Test %3</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileListWidget</name>
    <message>
        <location filename="../ui/profiles/ProfileListWidget.cpp" line="+35"/>
        <source>&amp;New Profile</source>
        <translation>&amp;Neues Profil</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New profile, starting at sslmode=verify-full</source>
        <translation>Neues Profil, beginnend mit sslmode=verify-full</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate Profile</source>
        <translation>Profil d&amp;uplizieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete Profile</source>
        <translation>Profil &amp;löschen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Test Connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Filter Profiles</source>
        <translation>Profile &amp;filtern</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Deleted “%1”.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
</context>
<context>
    <name>vf::ui::ProfileStore</name>
    <message>
        <location filename="../ui/profiles/ProfileStore.cpp" line="+499"/>
        <location line="+83"/>
        <source>could not read the profiles in &quot;%1&quot;: %2</source>
        <translation>die Profile in „%1“ konnten nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="-521"/>
        <source>profile &quot;%1&quot; has no settings object</source>
        <translation>Profil „%1“ hat kein Einstellungsobjekt</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>it is a link to a file that does not exist</source>
        <translation>sie ist ein Link auf eine Datei, die nicht existiert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is a folder, not a file</source>
        <translation>sie ist ein Ordner, keine Datei</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is not a regular file</source>
        <translation>sie ist keine gewöhnliche Datei</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is too large to be a profile file (%1 MiB; the limit is %2 MiB)</source>
        <translation>sie ist zu groß für eine Profildatei (%1 MiB; die Grenze liegt bei %2 MiB)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+6"/>
        <source>it cannot be read: %1</source>
        <translation>sie kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>it is too large to be a profile file (the limit is %1 MiB)</source>
        <translation>sie ist zu groß für eine Profildatei (die Grenze liegt bei %1 MiB)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is empty</source>
        <translation>sie ist leer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>it is not valid JSON (%1 at byte %2): it may have been cut off or edited</source>
        <translation>sie ist kein gültiges JSON (%1 bei Byte %2): Sie wurde möglicherweise abgeschnitten oder bearbeitet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>it is not a VerifyFull profile file</source>
        <translation>sie ist keine VerifyFull-Profildatei</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>it has no valid format version</source>
        <translation>sie hat keine gültige Formatversion</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>it was written by a newer VerifyFull (format %1; this version writes format %2)</source>
        <translation>sie wurde von einem neueren VerifyFull geschrieben (Format %1; diese Version schreibt Format %2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its list of profiles is not a list</source>
        <translation>ihre Profilliste ist keine Liste</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>two profiles have the same id %1</source>
        <translation>zwei Profile haben dieselbe ID %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>an entry cannot be read: %1</source>
        <translation>ein Eintrag kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>%1 (conflict)</source>
        <translation>%1 (Konflikt)</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>could not create the folder &quot;%1&quot;</source>
        <translation>der Ordner „%1“ konnte nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Check the folder&apos;s permissions; the profiles are not saved.</source>
        <translation>Prüfen Sie die Berechtigungen des Ordners; die Profile werden nicht gespeichert.</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>could not create the lock file &quot;%1&quot;</source>
        <translation>die Sperrdatei „%1“ konnte nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; stayed locked by another VerifyFull</source>
        <translation>„%1“ blieb von einem anderen VerifyFull gesperrt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another running VerifyFull is writing its profiles; they are saved again shortly.</source>
        <translation>Ein anderes laufendes VerifyFull schreibt gerade seine Profile; sie werden in Kürze erneut gespeichert.</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+7"/>
        <source>could not write &quot;%1&quot;: %2</source>
        <translation>„%1“ konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Check the folder&apos;s permissions; the previous file is unchanged.</source>
        <translation>Prüfen Sie die Berechtigungen des Ordners; die bisherige Datei ist unverändert.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check the free space and the folder&apos;s permissions; the previous file is unchanged.</source>
        <translation>Prüfen Sie den freien Speicherplatz und die Berechtigungen des Ordners; die bisherige Datei ist unverändert.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>it is in the older format %1, and a copy could not be kept as &quot;%2&quot; before upgrading it</source>
        <translation>sie liegt im älteren Format %1 vor, und vor der Aktualisierung konnte keine Kopie als „%2“ aufbewahrt werden</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>It could not be moved aside either, so it is left as it is and nothing is saved over it. Move or repair the file, then start VerifyFull again.</source>
        <translation>Sie konnte auch nicht beiseitegelegt werden, daher bleibt sie unverändert, und es wird nichts darüber gespeichert. Verschieben oder reparieren Sie die Datei und starten Sie VerifyFull dann neu.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>the profiles are not saved: &quot;%1&quot; could not be read and is left as it is</source>
        <translation>die Profile werden nicht gespeichert: „%1“ konnte nicht gelesen werden und bleibt unverändert</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the profiles are not saved: &quot;%1&quot; is open read-only</source>
        <translation>die Profile werden nicht gespeichert: „%1“ ist schreibgeschützt geöffnet</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>could not keep a copy of the older profile file as &quot;%1&quot;</source>
        <translation>von der älteren Profildatei konnte keine Kopie als „%1“ aufbewahrt werden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file is left as it is; the profiles are not saved.</source>
        <translation>Die Datei bleibt unverändert; die Profile werden nicht gespeichert.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the profiles are not saved: a newer VerifyFull wrote &quot;%1&quot;</source>
        <translation>die Profile werden nicht gespeichert: Ein neueres VerifyFull hat „%1“ geschrieben</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>It could not be moved aside either, so nothing is saved over it.</source>
        <translation>Sie konnte auch nicht beiseitegelegt werden, daher wird nichts darüber gespeichert.</translation>
    </message>
</context>
<context>
    <name>vf::ui::RiskTable</name>
    <message>
        <location filename="../ui/risk/RiskTable.cpp" line="+113"/>
        <source>libpq refuses to connect: &lt;tt&gt;%1&lt;/tt&gt;&lt;br&gt;%2</source>
        <translation>libpq verweigert die Verbindung: &lt;tt&gt;%1&lt;/tt&gt;&lt;br&gt;%2</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Good to know</source>
        <translation>Gut zu wissen</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set %1=%2 in this profile</source>
        <translation>%1=%2 in diesem Profil setzen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show setting</source>
        <translation>Einstellung anzeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to %1 in the editor</source>
        <translation>Zu %1 im Editor wechseln</translation>
    </message>
</context>
<context>
    <name>vf::ui::SettingsPreview</name>
    <message>
        <location filename="../ui/interop/SettingsPreview.cpp" line="+19"/>
        <location line="+2"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>•••••• (hidden)</source>
        <translation>•••••• (verborgen)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>line %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>(no settings)</source>
        <translation>(keine Einstellungen)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Comment: %1</source>
        <translation>Kommentar: %1</translation>
    </message>
</context>
<context>
    <name>vf::ui::SslModeRiskModel</name>
    <message>
        <location filename="../ui/risk/SslModeRiskModel.cpp" line="+71"/>
        <source>(this profile)</source>
        <translation>(dieses Profil)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(in effect)</source>
        <translation>(wirksam)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(chosen)</source>
        <translation>(gewählt)</translation>
    </message>
</context>
<context>
    <name>vf::ui::TestPanel</name>
    <message>
        <location filename="../ui/test/TestPanel.cpp" line="+73"/>
        <source>Press Test to connect with these settings. Each phase appears above as it happens; the result, what it means and how to fix it appear here.</source>
        <translation>Klicken Sie auf „Testen“, um sich mit diesen Einstellungen zu verbinden. Jede Phase erscheint oben, sobald sie abläuft; das Ergebnis, seine Bedeutung und die Abhilfe erscheinen hier.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cancel Test</source>
        <translation>Test abbrechen</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Key Passphrase</source>
        <translation>Passphrase des Schlüssels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The private key %1 is encrypted.
Its passphrase is used for this test only and is not stored:</source>
        <translation>Der private Schlüssel %1 ist verschlüsselt.
Seine Passphrase wird nur für diesen Test verwendet und nicht gespeichert:</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server asks for a password.
It is kept until VerifyFull closes, not stored:</source>
        <translation>Der Server verlangt ein Passwort.
Es wird aufbewahrt, bis VerifyFull beendet wird, aber nicht gespeichert:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server asks for the password of user %1.
It is kept until VerifyFull closes, not stored:</source>
        <translation>Der Server verlangt das Passwort von Benutzer %1.
Es wird aufbewahrt, bis VerifyFull beendet wird, aber nicht gespeichert:</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>No connection selected</source>
        <translation>Keine Verbindung ausgewählt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The connection string is not valid</source>
        <translation>Die Verbindungszeichenfolge ist ungültig</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1@%2:%3/%4 · sslmode %5</source>
        <translation>%1@%2:%3/%4 · sslmode %5</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>The connection string is not valid.</source>
        <translation>Die Verbindungszeichenfolge ist ungültig.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection settings could not be resolved.</source>
        <translation>Die Verbindungseinstellungen konnten nicht aufgelöst werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection settings are not valid.</source>
        <translation>Die Verbindungseinstellungen sind ungültig.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Waiting for the key passphrase…</source>
        <translation>Warten auf die Passphrase des Schlüssels…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Canceled: no passphrase was given for the client key.</source>
        <translation>Abgebrochen: Für den Clientschlüssel wurde keine Passphrase angegeben.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Testing…</source>
        <translation>Test läuft…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Canceled before it started.</source>
        <translation>Vor dem Start abgebrochen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Canceling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Testing: %1…</source>
        <translation>Test läuft: %1…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Read the warnings below.</source>
        <translation>Lesen Sie die Warnungen unten.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+104"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="-103"/>
        <source>Finished in %1</source>
        <translation>Abgeschlossen in %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Waiting for the password…</source>
        <translation>Warten auf das Passwort…</translation>
    </message>
    <message>
        <location line="-124"/>
        <location line="+138"/>
        <source>Canceled: no password was given.</source>
        <translation>Abgebrochen: Es wurde kein Passwort angegeben.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Chain presented by %1</source>
        <translation>Von %1 vorgelegte Kette</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&lt;b&gt;Trust this server&apos;s CA?&lt;/b&gt;&lt;br/&gt;At the top of its chain the server presented &lt;b&gt;%1&lt;/b&gt;, self-signed, valid until %2. Compare its SHA-256 fingerprint below with the one your provider or administrator publishes (for example from &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in ca.crt&lt;/code&gt;) and trust it only if they match. It becomes this profile&apos;s root certificate file and the profile switches to sslmode=verify-full.</source>
        <translation>&lt;b&gt;Der CA dieses Servers vertrauen?&lt;/b&gt;&lt;br/&gt;An der Spitze seiner Kette hat der Server &lt;b&gt;%1&lt;/b&gt; vorgelegt, selbstsigniert, gültig bis %2. Vergleichen Sie den SHA-256-Fingerabdruck unten mit dem, den Ihr Anbieter oder Administrator veröffentlicht (zum Beispiel aus &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in ca.crt&lt;/code&gt;), und vertrauen Sie ihm nur, wenn beide übereinstimmen. Es wird zur Stammzertifikatsdatei dieses Profils, und das Profil wechselt zu sslmode=verify-full.</translation>
    </message>
</context>
<context>
    <name>vf::ui::TestReportHtml</name>
    <message>
        <location filename="../ui/test/TestReportHtml.cpp" line="+46"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>libpq says:</source>
        <translation>libpq meldet:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The fix:</source>
        <translation>Abhilfe:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixes, most direct first:</source>
        <translation>Abhilfen, die direkteste zuerst:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Based on:</source>
        <translation>Grundlage:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>socket %1</source>
        <translation>Socket %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none: the connection is plaintext</source>
        <translation>keine: Die Verbindung ist unverschlüsselt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no TLS session was started</source>
        <translation>es wurde keine TLS-Sitzung gestartet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cipher</source>
        <translation>Cipher-Suite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2 bits)</source>
        <translation>%1 (%2 Bit)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ALPN</source>
        <translation>ALPN</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SNI sent</source>
        <translation>Gesendetes SNI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate</source>
        <translation>Clientzertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requested: %1, sent: %2</source>
        <translation>angefordert: %1, gesendet: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not verified (no root certificates were loaded)</source>
        <translation>nicht verifiziert (es wurden keine Stammzertifikate geladen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verified against %1</source>
        <translation>verifiziert gegen %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verification failed at depth %1: %2 (root certificates: %3)</source>
        <translation>Verifizierung in Tiefe %1 fehlgeschlagen: %2 (Stammzertifikate: %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server certificate</source>
        <translation>Serverzertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CRL checking</source>
        <translation>CRL-Prüfung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Host name</source>
        <translation>Hostname</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 matches the certificate&apos;s name %2</source>
        <translation>%1 passt zum Namen %2 im Zertifikat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is not named by the certificate</source>
        <translation>%1 wird im Zertifikat nicht genannt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>issued by %1</source>
        <translation>ausgestellt von %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected, with warnings</source>
        <translation>Verbunden, mit Warnungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The connection failed.</source>
        <translation>Die Verbindung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server certificate chain</source>
        <translation>Zertifikatskette des Servers</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+16"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel binding</source>
        <translation>Channel Binding</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pg_stat_ssl</source>
        <translation>pg_stat_ssl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2 (%3 bits)</source>
        <translation>%1, %2 (%3 Bit)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client certificate DN</source>
        <translation>DN des Clientzertifikats</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Backend PID</source>
        <translation>Backend-PID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total time</source>
        <translation>Gesamtdauer</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settings used</source>
        <translation>Verwendete Einstellungen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The connection settings are not valid; nothing was sent to the server.</source>
        <translation>Die Verbindungseinstellungen sind ungültig; es wurde nichts an den Server gesendet.</translation>
    </message>
</context>
<context>
    <name>vf::ui::TimelineView</name>
    <message>
        <location filename="../ui/widgets/TimelineView.cpp" line="+58"/>
        <source>Phase</source>
        <translation>Phase</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Timeline</source>
        <translation>Zeitverlauf</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Connection timeline</source>
        <translation>Zeitverlauf der Verbindung</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+2"/>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>DNS lookup</source>
        <translation>DNS-Abfrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP connect</source>
        <translation>TCP-Verbindungsaufbau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SSL negotiation</source>
        <translation>SSL-Aushandlung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TLS handshake</source>
        <translation>TLS-Handshake</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Startup</source>
        <translation>Startphase</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Query</source>
        <translation>Abfrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminate</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Attempt %1</source>
        <translation>Versuch %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attempt %1: %2</source>
        <translation>Versuch %1: %2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 (failed)</source>
        <translation>%1 (fehlgeschlagen)</translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+125"/>
        <source>%1 (canceled)</source>
        <translation>%1 (abgebrochen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="-126"/>
        <location line="+134"/>
        <source>running… %1</source>
        <translation>läuft… %1</translation>
    </message>
</context>
<context>
    <name>vf::wire::BackendMessageReader</name>
    <message>
        <location filename="../core/wire/BackendMessageReader.cpp" line="+50"/>
        <source>invalid message length %1 for message type &quot;%2&quot;</source>
        <translation>ungültige Nachrichtenlänge %1 für Nachrichtentyp „%2“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server sent a message whose length is impossible: this is not a PostgreSQL server, or the stream is corrupted.</source>
        <translation>Der Server hat eine Nachricht mit unmöglicher Länge gesendet: Das ist kein PostgreSQL-Server, oder der Datenstrom ist beschädigt.</translation>
    </message>
</context>
</TS>
