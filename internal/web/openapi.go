package web

import (
	"encoding"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/date"
)

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// openAPI describes the JSON API from the route tables, so the document cannot
// drift from what the server answers. Each operation names the permission it
// needs and, where the route declares it, the shape of its answer; errors
// share one schema.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	schemas := map[string]any{"Error": schemaOf(reflect.TypeFor[ErrorBody](), nil)}
	paths := map[string]map[string]any{}
	for _, rt := range s.api {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		ok := map[string]any{"description": "成功"}
		if rt.Out != nil {
			t := reflect.TypeOf(rt.Out)
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(t, schemas)}}
		}
		status := "200"
		if method == http.MethodPost {
			status = "2XX" // 201 when something was created, 200 otherwise
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(method, path),
			"tags":        []string{strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]},
			"responses": map[string]any{
				status: ok,
				"401":  errorResponse("未登录或会话已过期"), "403": errorResponse("无权限"), "404": errorResponse("不存在或不在您的范围内"),
				"409": errorResponse("与现有数据冲突（如他人已修改）"), "413": errorResponse("提交的内容过大"),
				"422": errorResponse("输入有误，fields 给出每个字段的原因"),
			},
			"x-permission":    string(rt.Perm),
			"x-max-body-size": rt.maxBody(),
		}
		if rt.Perm == Public {
			op["security"] = []any{}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
			body := map[string]any{"type": "object"}
			if rt.In != nil {
				body = schemaOf(reflect.TypeOf(rt.In), schemas)
			}
			op["requestBody"] = map[string]any{"content": map[string]any{
				"application/json":                  map[string]any{"schema": body},
				"application/x-www-form-urlencoded": map[string]any{"schema": body},
			}}
		}
		if method == http.MethodPatch {
			op["description"] = "部分修改：只修改请求中出现的字段，未出现的字段保持原值；字段给空值表示清空。" +
				"version 必填，为读取时的版本号；记录已被他人修改时返回 409。"
		}
		paths[path][strings.ToLower(method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "政法党建云平台 API", "version": "1",
			"description": "登录（POST /api/v1/auth/login）后以会话 Cookie 访问。跨站写请求会被拒绝。所有列表在服务器端分页、筛选，数据范围为当前用户所辖组织子树。" +
				"修改一律用 PATCH：只改请求中出现的字段，version 必填。" +
				"每个文本字段都有长度上限（请求体中的 maxLength，按字计），超出返回 422 并在 fields 中说明；应为单个值的字段给了数组同样返回 422。" +
				"错误统一为 {\"error\":{\"code\",\"message\",\"fields\"}}，message 为中文。"},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "dangjian_session",
				"description": "HTTPS 部署时 Cookie 名为 __Host-dangjian"}},
			"schemas": schemas,
		},
		"security": []any{map[string]any{"session": []any{}}},
	}
	WriteJSON(w, http.StatusOK, doc)
}

func errorResponse(desc string) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{
		"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
}

func operationID(method, path string) string {
	parts := []string{strings.ToLower(method)}
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/") {
		seg = strings.Trim(seg, "{}")
		seg = strings.NewReplacer("-", "_", ".", "_").Replace(seg)
		parts = append(parts, seg)
	}
	return strings.Join(parts, "_")
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemaOf is the JSON Schema of a Go type as encoding/json writes it. Named
// struct types become components (named by their Go name) referenced by
// $ref, so a shape used by many answers is described once.
func schemaOf(t reflect.Type, components map[string]any) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType || t == reflect.TypeFor[Time]():
		return map[string]any{"type": []string{"string", "null"}, "format": "date-time"}
	case t == reflect.TypeFor[date.Date]():
		return map[string]any{"type": "string", "format": "date", "description": "YYYY-MM-DD，空为无"}
	case t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType):
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), components)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), components)}
	case reflect.Struct:
		name := t.Name()
		if components != nil && name != "" && !strings.Contains(name, "[") { // generic lists are described inline
			if _, done := components[name]; !done {
				components[name] = map[string]any{} // placeholder: recursive types stop here
				components[name] = structSchema(t, components)
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return structSchema(t, components)
	}
	return map[string]any{}
}

func structSchema(t reflect.Type, components map[string]any) map[string]any {
	props := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" { // promoted as encoding/json does, exported or not
			if sub, ok := structSchema(derefType(f.Type), components)["properties"].(map[string]any); ok {
				for k, v := range sub {
					props[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		sch := schemaOf(f.Type, components)
		if max := f.Tag.Get("maxLength"); max != "" {
			if n, err := strconv.Atoi(max); err == nil {
				if items, ok := sch["items"].(map[string]any); ok {
					items["maxLength"] = n // a list of texts: each one's limit
				} else {
					sch["maxLength"] = n
				}
			}
		}
		props[name] = sch
	}
	return map[string]any{"type": "object", "properties": props}
}

func derefType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}
