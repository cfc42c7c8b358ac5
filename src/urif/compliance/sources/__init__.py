"""List sources: one parser per official format, each returning FtM entities with provenance.

``read_paths(paths)`` detects formats by content and returns one ``ParsedList`` per
snapshot; ``ListRecord`` is one listed target.  See ``README.md`` of ``urif.compliance``.
"""

from urif.compliance.sources.policy import example_policy_list
from urif.compliance.sources.reader import detect, read_paths
from urif.compliance.sources.record import LICENCES, ListRecord, ParsedList, SourceFile

__all__ = [
    "LICENCES",
    "ListRecord",
    "ParsedList",
    "SourceFile",
    "detect",
    "example_policy_list",
    "read_paths",
]
