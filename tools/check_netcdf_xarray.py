#!/usr/bin/env python3
"""Opens a NetCDF file written by gavel with xarray and checks what xarray sees against an
expectation file (JSON) that gavel's test suite writes next to it.

    python3 -m venv ~/.cache/gavel/venv-xarray
    ~/.cache/gavel/venv-xarray/bin/pip install -r tools/requirements-xarray.txt
    ~/.cache/gavel/venv-xarray/bin/python tools/check_netcdf_xarray.py FILE.nc EXPECTED.json

The C++ test "xarray opens the writer's output ..." (tests/test_netcdf.cpp) runs this script when
that venv exists and skips otherwise. EXPECTED.json holds:

    dims:      {name: length}                       every dimension of the dataset
    coords:    {name: [values]}                     coordinate variables and their values
    attrs:     {name: value}                        global attributes (a subset)
    variables: {name: {dims, shape, attrs, values}} float32 data variables, values flattened in
                                                    the file's dimension order; attrs a subset
    scalars:   {name: {dims}}                       other data variables (float64)

The data variables must be exactly `variables` plus `scalars`. Exits 1 with a message on the
first mismatch.
"""
import json
import sys

import numpy as np
import xarray as xr


def fail(message):
    print(f"xarray check failed: {message}", file=sys.stderr)
    sys.exit(1)


def check_attrs(where, actual, expected):
    for key, value in expected.items():
        if key not in actual:
            fail(f"{where}: attribute {key!r} missing (has {sorted(actual)})")
        got = actual[key]
        if isinstance(value, float):
            if not np.isclose(float(got), value, rtol=0, atol=0):
                fail(f"{where}: attribute {key!r} is {got!r}, expected {value!r}")
        elif got != value:
            fail(f"{where}: attribute {key!r} is {got!r}, expected {value!r}")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    path, expected_path = sys.argv[1:3]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    with xr.open_dataset(path, engine="netcdf4") as ds:
        dims = {str(k): int(v) for k, v in ds.sizes.items()}
        if dims != expected["dims"]:
            fail(f"dims are {dims}, expected {expected['dims']}")
        for name, values in expected["coords"].items():
            if name not in ds.coords:
                fail(f"coordinate {name!r} missing (coords: {sorted(ds.coords)})")
            coord = ds.coords[name]
            if coord.dims != (name,):
                fail(f"coordinate {name!r} has dims {coord.dims}")
            if not np.array_equal(coord.values, np.asarray(values)):
                fail(f"coordinate {name!r} is {coord.values}, expected {values}")
        check_attrs("global", ds.attrs, expected["attrs"])
        data_vars = set(ds.data_vars)
        wanted = set(expected["variables"]) | set(expected.get("scalars", {}))
        if data_vars != wanted:
            fail(f"data variables are {sorted(data_vars)}, expected {sorted(wanted)}")
        for name, spec in expected["variables"].items():
            var = ds[name]
            if list(var.dims) != spec["dims"]:
                fail(f"{name}: dims {var.dims}, expected {spec['dims']}")
            if var.dtype != np.float32:
                fail(f"{name}: dtype {var.dtype}, expected float32")
            check_attrs(name, var.attrs, spec["attrs"])
            values = np.asarray(spec["values"], dtype=np.float32).reshape(spec["shape"])
            if var.shape != values.shape:
                fail(f"{name}: shape {var.shape}, expected {values.shape}")
            if not np.array_equal(var.values, values, equal_nan=True):
                where = np.argwhere(~((var.values == values) | (np.isnan(var.values) & np.isnan(values))))
                fail(f"{name}: values differ at {where[:5].tolist()}")
        for name, spec in expected.get("scalars", {}).items():
            if list(ds[name].dims) != spec["dims"]:
                fail(f"scalar {name}: dims {ds[name].dims}, expected {spec['dims']}")
        print(f"xarray check passed: {path} ({len(expected['variables'])} field variables, dims {dims})")


if __name__ == "__main__":
    main()
