"""dp100 sandbox facade of the `mltable` package."""
from mltable.mltable import (
    DataType,
    MLTable,
    MLTableHeaders,
    from_delimited_files,
    from_json_lines_files,
    from_parquet_files,
    from_paths,
    load,
)

__version__ = "1.6.1"

__all__ = ["DataType", "MLTable", "MLTableHeaders", "from_delimited_files", "from_json_lines_files",
           "from_parquet_files", "from_paths", "load"]
