#!/bin/sh
# One HTTP/1.1 exchange on stdin/stdout, OpenAI-style: GET /health, POST /v1/chat/completions
# (JSON, or server-sent events with "stream": true), /v1/completions, /v1/embeddings. The reply names
# the model this container serves ($MODEL), the model the request asked for, and (chat) whether an
# Authorization header reached it.
cr=$(printf '\r')
read -r method target proto
len=0
auth=no
while IFS= read -r line; do
  line=${line%"$cr"}
  [ -z "$line" ] && break
  case "$line" in
    [Cc]ontent-[Ll]ength:*) len=${line#*:}; len=${len# } ;;
    [Aa]uthorization:*) auth=yes ;;
  esac
done
body=""
[ "$len" -gt 0 ] && body=$(head -c "$len")
asked=$(printf '%s' "$body" | sed -n 's/.*"model" *: *"\([^"]*\)".*/\1/p')
reply() { printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "$1" "$2" "${#3}" "$3"; }
case "$method $target" in
  "GET /health") reply '200 OK' text/plain ok ;;
  "POST /v1/chat/completions")
    case "$body" in
      *'"stream":true'* | *'"stream": true'*)
        printf 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n'
        for w in one two three; do
          printf 'data: {"object":"chat.completion.chunk","model":"%s","choices":[{"index":0,"delta":{"content":"%s"}}]}\n\n' "$MODEL" "$w"
          sleep 0.05
        done
        printf 'data: [DONE]\n\n' ;;
      *) reply '200 OK' application/json "{\"object\":\"chat.completion\",\"model\":\"$MODEL\",\"asked\":\"$asked\",\"authorization\":\"$auth\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello from $MODEL\"},\"finish_reason\":\"stop\"}]}" ;;
    esac ;;
  "POST /v1/completions") reply '200 OK' application/json "{\"object\":\"text_completion\",\"model\":\"$MODEL\",\"asked\":\"$asked\",\"choices\":[{\"index\":0,\"text\":\"hello from $MODEL\",\"finish_reason\":\"stop\"}]}" ;;
  "POST /v1/embeddings") reply '200 OK' application/json "{\"object\":\"list\",\"model\":\"$MODEL\",\"asked\":\"$asked\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2,0.3]}]}" ;;
  *) reply '404 Not Found' application/json '{"error":{"message":"no such route","type":"invalid_request_error"}}' ;;
esac
