"""The file gate: what a received file really is (format sniffing) and whether it is safe
to open (size, zip-bomb and hostile-content limits), and the containers returned files
come packed in (zip archives, Outlook .msg).

Owns: ``sniff`` (the verdict on one file), ``safety`` (bounded zip reading), ``partscan``
(hostile parts), ``containers``. May import: the foundation modules and ``mailio`` (an
.msg is a mail message). Never the ledger, validation or anything above."""
