"""Where files live is a setting: ``FILE_STORAGE`` (a storage class) and ``FILE_STORAGE_OPTIONS`` (JSON), the
local folder MEDIA_ROOT when unset; job results under ``results`` of the same place. Read as the app
reads them, in a process of their own with the environment given."""

import json
import os
import subprocess
import sys

from tests.deploy.servers import ROOT

PRINT_STORAGES = "import json; from config import settings; print(json.dumps(settings.STORAGES, default=str))"


def storages_with(**environment):
    env = {**os.environ, **environment}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", PRINT_STORAGES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_files_are_kept_under_media_root_unless_a_storage_is_named(tmp_path):
    result = storages_with(MEDIA_ROOT=str(tmp_path))
    storages = json.loads(result.stdout)
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}}
    assert storages["results"]["OPTIONS"] == {"location": str(tmp_path / "results")}


def test_a_named_storage_gets_its_options_and_job_results_a_prefix_of_their_own():
    options = {"bucket_name": "perisai", "location": "cilacap/", "endpoint_url": "https://s3.example.go.id"}
    result = storages_with(FILE_STORAGE="storages.backends.s3.S3Storage", FILE_STORAGE_OPTIONS=json.dumps(options))
    storages = json.loads(result.stdout)
    assert storages["default"] == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    assert storages["results"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**options, "location": "cilacap/results"},
    }


def test_options_that_are_not_a_json_object_stop_the_app_with_a_clear_message():
    for wrong in ("{bucket_name: perisai}", '["perisai"]'):
        result = storages_with(FILE_STORAGE_OPTIONS=wrong)
        assert result.returncode != 0
        assert "FILE_STORAGE_OPTIONS must be a JSON object" in result.stderr
