package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Width int `json:"width"`
}

func handler(ctx context.Context, e event) (map[string]int, error) {
	return map[string]int{"width": e.Width}, nil
}

func main() { lambda.Start(handler) }
