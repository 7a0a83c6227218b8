# shellcheck shell=bash
# Sourced by bench/run.sh and bench/syscalls.sh: nginx as a keep-alive reverse proxy in front of the product
# service, the reference for what a proxied request can cost. Its whole configuration is here; it runs in the
# foreground (so its pid is the master's, and stopping that stops the workers) with every file it writes in a
# scratch directory, so no root is needed.

nginx_config() { # directory listen-port product-service-port -> writes directory/nginx.conf
  local dir=$1 listen=$2 upstream=$3
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
  worker_connections 1024;
}
http {
  access_log off;
  client_body_temp_path $dir/client-body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  # connections are reused as long as the Java clients and wrk reuse theirs (the default closes one every 1000 requests)
  keepalive_requests 1000000;
  upstream product_service {
    server 127.0.0.1:$upstream;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen $listen;
    location / {
      proxy_pass http://product_service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
}

nginx_command() { # directory -> the command line that runs it
  echo nginx -p "$1/" -c "$1/nginx.conf" -e "$1/error.log"
}
