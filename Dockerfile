FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY cti ./cti
COPY crm_core ./crm_core
COPY web_softphone/dist ./web_softphone/dist
RUN pip install --no-cache-dir .
EXPOSE 8000 4573
CMD ["cti", "serve"]
