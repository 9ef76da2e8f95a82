"""The comparison side of bench/aws.sh: a plain boto3 script that puts a zip live on Lambda with the calls a
deploy needs, per function one after the other as Laambda does them: CreateFunction (waiter
function_active_v2) or UpdateFunctionCode + UpdateFunctionConfiguration (waiter function_updated_v2 after
each), PublishVersion (waiter published_version_active), then alias `live` created or moved.

It stays running, as a server would, with its client made once: for each zip path read on stdin it deploys
that zip as functions PREFIX-ENTRY and prints the seconds it took. Each function gets the configuration
Laambda gave APP-ENTRY (handler, runtime, memory, timeout, role, environment), read once at start.

Usage: aws_direct.py ENDPOINT APP PREFIX ENTRY...   (credentials from the environment; loopback only)
"""
import sys
import time

import boto3

endpoint, app, prefix, entries = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
lam = boto3.client("lambda", region_name="us-east-1", endpoint_url=endpoint)
fast = {"Delay": 1, "MaxAttempts": 60}

settings = {}
for entry in entries:
    c = lam.get_function_configuration(FunctionName=f"{app}-{entry}", Qualifier="live")
    settings[entry] = {"Handler": c["Handler"], "Runtime": c["Runtime"], "MemorySize": c["MemorySize"],
                       "Timeout": c["Timeout"], "Role": c["Role"],
                       "Environment": {"Variables": c.get("Environment", {}).get("Variables", {})}}


def exists(name):
    try:
        lam.get_function(FunctionName=name)
        return True
    except lam.exceptions.ResourceNotFoundException:
        return False


def deploy(name, zip_bytes, config, description):
    if exists(name):
        lam.update_function_code(FunctionName=name, ZipFile=zip_bytes)
        lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig=fast)
        lam.update_function_configuration(FunctionName=name, Description=description, **config)
        lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig=fast)
    else:
        lam.create_function(FunctionName=name, Code={"ZipFile": zip_bytes}, Description=description, **config)
        lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig=fast)
    version = lam.publish_version(FunctionName=name, Description=description)["Version"]
    lam.get_waiter("published_version_active").wait(FunctionName=name, Qualifier=version, WaiterConfig=fast)
    try:
        lam.update_alias(FunctionName=name, Name="live", FunctionVersion=version)
    except lam.exceptions.ResourceNotFoundException:
        lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)


for run, line in enumerate(sys.stdin, 1):
    started = time.monotonic()
    with open(line.strip(), "rb") as f:
        zip_bytes = f.read()
    for entry in entries:
        deploy(f"{prefix}-{entry}", zip_bytes, settings[entry], f"direct run {run}")
    print(f"{time.monotonic() - started:.4f}", flush=True)
