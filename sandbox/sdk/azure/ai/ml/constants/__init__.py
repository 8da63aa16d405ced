"""`azure.ai.ml.constants`."""


class AssetTypes:
    URI_FILE = "uri_file"
    URI_FOLDER = "uri_folder"
    MLTABLE = "mltable"
    MLFLOW_MODEL = "mlflow_model"
    CUSTOM_MODEL = "custom_model"
    TRITON_MODEL = "triton_model"


class InputOutputModes:
    MOUNT = "mount"
    RO_MOUNT = "ro_mount"
    RW_MOUNT = "rw_mount"
    DOWNLOAD = "download"
    UPLOAD = "upload"
    DIRECT = "direct"
    EVAL_MOUNT = "eval_mount"
    EVAL_DOWNLOAD = "eval_download"


class DataType:
    SIMPLE = "Simple"
    DATAFLOW = "Dataflow"


__all__ = ["AssetTypes", "InputOutputModes", "DataType"]
