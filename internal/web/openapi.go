package web

import (
	"net/http"
	"regexp"
	"strings"

	"dangjian/internal/auth"
)

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// openAPI describes the JSON API from its route table, so the document cannot
// drift from what the server answers. Each operation names the permission it
// needs; errors share one schema.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	paths := map[string]map[string]any{}
	for _, rt := range s.apiRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		op := map[string]any{
			"summary":     rt.summary,
			"operationId": operationID(method, path),
			"tags":        []string{strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]},
			"responses": map[string]any{
				"200": map[string]any{"description": "成功", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}},
				"401": errorResponse("未登录或会话已过期"), "403": errorResponse("无权限"), "404": errorResponse("不存在或不在您的范围内"),
				"409": errorResponse("与现有数据冲突（如他人已修改）"), "422": errorResponse("输入有误，fields 给出每个字段的原因"),
			},
			"x-permission": permName(rt.perm),
		}
		if rt.perm == public {
			op["security"] = []any{}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if method == http.MethodPost || method == http.MethodPut {
			op["requestBody"] = map[string]any{"content": map[string]any{
				"application/json":                  map[string]any{"schema": map[string]any{"type": "object"}},
				"application/x-www-form-urlencoded": map[string]any{"schema": map[string]any{"type": "object"}},
			}}
		}
		paths[path][strings.ToLower(method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "政法党建云平台 API", "version": "1",
			"description": "登录（POST /api/v1/auth/login）后以会话 Cookie 访问。跨站写请求会被拒绝。所有列表在服务器端分页、筛选，数据范围为当前用户所辖组织子树。错误统一为 {\"error\":{\"code\",\"message\",\"fields\"}}，message 为中文。"},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "dangjian_session",
				"description": "HTTPS 部署时 Cookie 名为 __Host-dangjian"}},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "properties": map[string]any{
					"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"},
					"fields": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}}}}}},
		},
		"security": []any{map[string]any{"session": []any{}}},
	}
	writeJSON(w, http.StatusOK, doc)
}

func errorResponse(desc string) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{
		"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
}

func permName(p auth.Perm) string { return string(p) }

func operationID(method, path string) string {
	parts := []string{strings.ToLower(method)}
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/") {
		seg = strings.Trim(seg, "{}")
		seg = strings.NewReplacer("-", "_", ".", "_").Replace(seg)
		parts = append(parts, seg)
	}
	return strings.Join(parts, "_")
}
