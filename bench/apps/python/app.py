import requests


def handler(event, context):
    return {"requests": requests.__version__, "width": event.get("width")}
